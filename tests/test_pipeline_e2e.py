"""The whole nbgrader command-line life cycle, with two real student homes and `course grade` in the middle."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from conftest import REPO, course_env, make_course, run
from course_lib.authoring import parse_variant, reference_submission
from course_lib.accounts import PREFIX, as_user, chown_tree

ASSIGNMENT = "lecture01"
SEED = "424242"
WRONG = REPO / "grader_tests" / ASSIGNMENT / "wrong_solutions"


def _student_env(home: Path, user: str, exchange: Path) -> dict:
    config = home / ".jupyter" / "nbgrader_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.course_id = 'mlphys'\n")
    chown_tree(home, user)
    return course_env(HOME=str(home), USER=user, LOGNAME=user)


@pytest.fixture(scope="module")
def lifecycle():
    if os.geteuid() != 0:
        pytest.skip("students need real accounts, which only root can create (CI runs as root)")
    # Student accounts must reach their homes and the exchange. pytest resets its own
    # temp root to mode 0700 whenever a pytest run starts, so this lives outside it.
    base = Path(tempfile.mkdtemp(prefix="course-e2e-"))
    base.chmod(0o755)
    try:
        yield _run_lifecycle(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run_lifecycle(base: Path) -> dict:
    course, exchange = make_course(base / "course", [ASSIGNMENT]), base / "exchange"
    teacher = course_env(COURSE_EXCHANGE=str(exchange), COURSE_GRADING_SEED=SEED)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], course, teacher)
    run(["nbgrader", "release_assignment", ASSIGNMENT, "--force"], course, teacher)

    half_right = {v["replaces"]: v["code"] for v in map(parse_variant, [WRONG / "xor_single_sign_flipped.py", WRONG / "local_minima_only_global.py"])}
    answers = {f"{PREFIX}alice": {}, f"{PREFIX}bob": half_right, f"{PREFIX}carol": None}  # None: submits the release
    homes = {}
    for user, overrides in answers.items():
        home = base / "home" / user
        home.mkdir(parents=True)
        env = _student_env(home, user, exchange)
        run(as_user(user, ["nbgrader", "fetch_assignment", ASSIGNMENT]), home, env)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        if overrides is not None:
            nb = reference_submission(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", fetched, overrides)
            nbformat.write(nb, fetched)
        run(as_user(user, ["nbgrader", "submit", ASSIGNMENT]), home, env)
        homes[user] = (home, env)

    run(["nbgrader", "collect", ASSIGNMENT], course, teacher)
    graded = run(["course", "grade", ASSIGNMENT, "--quiet"], course, teacher)
    grades = json.loads(run(["course", "grades", ASSIGNMENT, "--format", "json"], course, teacher).stdout)
    run(["nbgrader", "generate_feedback", ASSIGNMENT], course, teacher)
    run(["nbgrader", "release_feedback", ASSIGNMENT], course, teacher)
    feedback = {}
    for user, (home, env) in homes.items():
        run(as_user(user, ["nbgrader", "fetch_feedback", ASSIGNMENT]), home, env)
        feedback[user] = sorted((home / ASSIGNMENT / "feedback").rglob("*.html"))
    run(["nbgrader", "export", "--to", "grades.csv"], course, teacher)
    return {"course": course, "graded": graded, "grades": grades, "feedback": feedback,
            "export": (course / "grades.csv").read_text()}


def _autograded_total(grades, student):
    return sum(r["score"] for r in grades if r["student"] == student and r["kind"] == "auto")


def test_collect_and_grade_see_every_student(lifecycle):
    assert "graded 3 of 3 submissions" in lifecycle["graded"].stdout


@pytest.mark.parametrize("student, points", [("alice", 11.0), ("bob", 7.0), ("carol", 0.0)])
def test_exact_autograded_scores(lifecycle, student, points):
    assert _autograded_total(lifecycle["grades"], PREFIX + student) == points


def test_half_right_submission_scores_the_expected_cells(lifecycle):
    bob = {r["grade_cell"]: r["score"] for r in lifecycle["grades"] if r["student"] == PREFIX + "bob" and r["kind"] == "auto"}
    # The sign-flipped network still has the one hidden layer asked for (1 of 3 points), and
    # "only the global minimum" still contains it (1 of 3 points).
    assert bob == {"xor_deep": 3.0, "xor_single": 1.0, "cost_gradient": 2.0, "local_minima": 1.0}


def test_manual_cells_wait_for_a_human(lifecycle):
    manual = [r for r in lifecycle["grades"] if r["student"] == PREFIX + "alice" and r["kind"] == "manual"]
    assert {r["grade_cell"] for r in manual} == {"layers_discussion", "spread_discussion", "noise_discussion"}
    assert all(r["needs_manual_grade"] for r in manual)


def test_csv_export_has_the_scores(lifecycle):
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(lifecycle["export"]))}
    assert {s: float(rows[PREFIX + s]["raw_score"]) for s in ("alice", "bob", "carol")} == {"alice": 11.0, "bob": 7.0, "carol": 0.0}
    assert all(float(rows[s]["max_score"]) == 16.0 for s in rows)


def test_every_student_received_feedback(lifecycle):
    assert all(len(files) == 1 for files in lifecycle["feedback"].values()), lifecycle["feedback"]


def _grader_source_lines():
    lines = set()
    for path in (REPO / "grader_tests" / ASSIGNMENT).rglob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith(("#", '"""', "import", "from")):
                lines.add(line)
    return lines


@pytest.mark.parametrize("student", ["alice", "bob", "carol"])
def test_feedback_reveals_no_hidden_test_source_or_expectations(lifecycle, student):
    html = lifecycle["feedback"][PREFIX + student][0].read_text()
    assert "Platform grader" in html
    leaked = [line for line in _grader_source_lines() if line in html]
    assert not leaked, f"feedback contains hidden grader source: {leaked[:3]}"
    assert SEED not in html
    assert "MARK SCHEME" not in html and "BEGIN SOLUTION" not in html
    verdict_text = " ".join(re.findall(r"Platform grader:.*?</pre>", html, flags=re.S))
    assert verdict_text.count("Platform grader:") == 4
    assert not re.search(r"\d\.\d{3,}", verdict_text), "a verdict shows a precise number (possible expected value)"
    assert "array(" not in verdict_text
