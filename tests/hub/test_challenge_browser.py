"""Acceptance 4 of the challenges: entries submitted through the hub are scored and ranked on their own.

In a real browser (Playwright driving Debian's Chromium), a student fetches both challenge
assignments, runs the cells that build the network and write the entry files, and submits. The
exchange hands each submission to the leaderboard service, whose worker scores it (the test hub
is configured with one training run and 100 maze episodes). The student sees the scores on
"my entries" and their pseudonym on the right boards; the instructor sees the real name, and the
CSV export holds exactly the page's table. Screenshots go to test-artifacts/hub/challenges/.
"""

from __future__ import annotations

import csv
import io
import re
import time

import pytest

from .conftest import ARTIFACTS, unix_home
from .test_hub_browser import dismiss_dialogs, fetch_and_open, login, open_assignment_list, run_cell

SHOTS = ARTIFACTS / "challenges"
STUDENT = "cleo"
ASSIGNMENTS = {"lecture04_autoencoder_challenge": ("autoencoder", ("autoencoder.keras", "autoencoder.json")),
               "lecture09_maze_challenge": ("maze", ("maze_policy.keras",))}
SCORING_TIMEOUT_S = 240


@pytest.fixture(scope="module")
def challenges_released(hub):
    """The instructor generates and releases both challenge assignments, as for any assignment."""
    from course_lib.hub.launcher import release, run
    from course_lib.hub.spawner import role_config_path

    env = dict(hub.env, COURSE_EXCHANGE_URL=hub.exchange_url, COURSE_EXCHANGE_TOKEN=hub.token("formgrader"),
               JUPYTER_CONFIG_PATH=role_config_path("formgrader"))
    for assignment in ASSIGNMENTS:
        run(["nbgrader", "generate_assignment", assignment, "--force"], hub.course, env)
    assert all("released" in line for line in release(hub.course, list(ASSIGNMENTS), env))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def write_entry_in_lab(page, assignment: str, files: tuple[str, ...]) -> None:
    """Fetch, open, run the set-up, model and entry cells (no training: the platform trains), submit."""
    panel = open_assignment_list(page)
    notebook = fetch_and_open(page, panel, assignment)
    cells = notebook.locator(".jp-CodeCell")
    for marker in ("def show_maze" if "maze" in assignment else "def circle_generator",
                   "policy = keras.Sequential" if "maze" in assignment else "network = keras.Sequential",
                   "entry.save" if "maze" in assignment else 'network.save("autoencoder.keras")'):
        run_cell(page, cells.filter(has_text=marker).first)
    written = cells.filter(has_text="wrote ").locator(".jp-OutputArea-output", has_text=re.compile("wrote|Error"))
    written.first.wait_for(timeout=180_000)
    assert "Error" not in written.first.inner_text(), written.first.inner_text()
    folder = unix_home(STUDENT) / assignment
    assert all((folder / name).is_file() for name in files), sorted(p.name for p in folder.iterdir())
    shot(page, f"{assignment}_entry_written")
    dismiss_dialogs(page)
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    panel.locator("#fetched_assignments_list .list_item", has_text=assignment).first.locator("button", has_text="Submit").click()
    panel.locator("#submitted_assignments_list .list_item", has_text=assignment).first.wait_for()


def board_rows(page) -> list[list[str]]:
    rows = []
    for row in page.locator("table.board").first.locator("tr").all():
        rows.append([cell.inner_text().strip() for cell in row.locator("th, td").all()])
    return rows


def wait_for_scores(page, url: str, count: int = 1) -> str:
    """Reload the student's entries page until `count` entries are scored; return the page text."""
    deadline = time.monotonic() + SCORING_TIMEOUT_S
    while True:
        page.goto(url)
        rows = board_rows(page)[1:]
        if len(rows) >= count and all(row[2] not in ("queued", "running") for row in rows):
            return page.inner_text("body")
        if time.monotonic() > deadline:
            raise AssertionError(f"not scored within {SCORING_TIMEOUT_S} s: {rows}\n{page.inner_text('body')}")
        page.wait_for_timeout(3000)


def test_challenge_entries_are_scored_and_ranked(hub, browser, challenges_released):
    started = time.monotonic()
    student = browser.new_context(viewport={"width": 1400, "height": 900})
    student.set_default_timeout(60_000)
    page = student.new_page()
    hub.start_server(STUDENT)  # started through the API: the spawn page's progress stream is not under test here
    login(page, hub, STUDENT)
    page.wait_for_url(re.compile(rf".*/user/{STUDENT}/lab.*"), timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel")
    for assignment, (_, files) in ASSIGNMENTS.items():
        write_entry_in_lab(page, assignment, files)
    submitted_at = time.monotonic()

    # --- the student's own line: every entry scored, with score, boards and message
    board = page.context.new_page()
    leaderboard = f"{hub.url}/services/leaderboard/"
    boards = {"maze": "maze", "autoencoder": "MEDIUM/NORMAL"}  # the example network's bottleneck is 9: not HARD
    for challenge in ("maze", "autoencoder"):
        text = wait_for_scores(board, f"{leaderboard}entries/{challenge}")
        shot(board, f"student_entries_{challenge}")
        entries = board_rows(board)[1:]
        assert len(entries) == 1 and re.fullmatch(r"-?\d+(\.\d+)?( ± [\d.e-]+)?", entries[0][2]), entries
        assert entries[0][3] == boards[challenge], entries
        used = {"autoencoder": 1, "maze": 2}[challenge]  # the daily cap counts a student's entries of both challenges
        assert f"queued for scoring ({used} of 5 scored submissions used today)" in text, "the hand-over's answer is shown"
    scored_in = time.monotonic() - submitted_at

    # --- the pseudonym, on exactly the boards the entries qualify for
    board.goto(leaderboard)
    pseudonym = re.search(r"Other students see you as (.+?)\.", board.inner_text("body")).group(1)
    assert pseudonym and pseudonym != STUDENT
    shot(board, "student_index")
    expected = {"autoencoder/medium-normal": True, "autoencoder/hard-normal": False,
                "autoencoder/medium-long": False, "maze/maze": True}
    for slug, present in expected.items():
        board.goto(f"{leaderboard}board/{slug}")
        names = [row[1] for row in board_rows(board)[1:]]
        assert (pseudonym in names) == present, (slug, names)
        assert STUDENT not in names, f"{slug}: a student sees real names"
        shot(board, f"student_board_{slug.replace('/', '_')}")

    # --- the instructor sees the real name; the CSV export is the page's table
    teacher = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    teacher.set_default_timeout(60_000)
    home = teacher.new_page()
    login(home, hub, "instructor")
    home.wait_for_url(re.compile(r".*/hub/home"))
    for slug in ("autoencoder/medium-normal", "maze/maze"):
        home.goto(f"{leaderboard}board/{slug}")
        rows = board_rows(home)
        header, body = rows[0], rows[1:]
        mine = [row for row in body if row[header.index("hub user")] == STUDENT]
        assert mine and mine[0][header.index("pseudonym")] == pseudonym, body
        shot(home, f"instructor_board_{slug.replace('/', '_')}")
        with home.expect_download() as download:
            home.click("text=download this table as CSV")
        exported = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
        assert exported == rows, f"{slug}: the CSV differs from the page"
    student.close()
    teacher.close()
    (SHOTS / "timings.txt").write_text(f"scored {scored_in:.0f} s after submitting; test {time.monotonic() - started:.0f} s\n")
