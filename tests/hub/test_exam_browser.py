"""Acceptance: a student takes the practice exam in the hub, sees the time left, submits and reads feedback.

The examiner only sets the exam up: a policy file for exam_practice (open now, closing in 30
minutes) and `nbgrader release_assignment`. The course-status service hands the policy to the
exchange, and the hub's grading worker collects, grades and releases the feedback on its own
(the test hub polls every 5 s). Screenshots go to test-artifacts/hub/exam/.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import course_env, run
from course_lib.hub.spawner import role_config_path

from .conftest import ARTIFACTS, unix_home
from .test_hub_browser import dismiss_dialogs, fetch_and_open, login, open_assignment_list, read_feedback

EXAM = "exam_practice"
STUDENT = "cleo"
SHOTS = ARTIFACTS / "exam"


def instructor_env(hub) -> dict:
    env = course_env(COURSE_EXCHANGE_URL=hub.exchange_url, COURSE_EXCHANGE_TOKEN=hub.token("formgrader"),
                     JUPYTER_CONFIG_PATH=role_config_path("formgrader"), COURSE_ID="mlphys")
    env.pop("JUPYTERHUB_API_TOKEN", None)
    return env


def exam_status(hub, student=None) -> dict:
    response = requests.get(f"{hub.exchange_url}/api/courses/mlphys/policies", params={"student": student} if student else {},
                            headers={"Authorization": f"token {hub.token('formgrader')}"}, timeout=30)
    response.raise_for_status()
    return {a["assignment"]: a for a in response.json()["assignments"]}


@pytest.fixture(scope="module")
def practice_exam(hub):
    """The practice exam, released through the exchange with a policy: open now, closing in 30 minutes."""
    if not (hub.course / "source" / EXAM).is_dir():
        pytest.fail(f"source/{EXAM} is missing from the course")
    env = instructor_env(hub)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    closes = now + timedelta(minutes=30)
    policies = hub.course / "policies"
    policies.mkdir(exist_ok=True)
    (policies / f"{EXAM}.toml").write_text(
        f'kind = "practice"\ntitle = "Practice exam"\nopens = {(now - timedelta(minutes=1)).isoformat()}\n'
        f'closes = {closes.isoformat()}\nlate = "zero"\naccept_late = false\n')
    run(["nbgrader", "generate_assignment", EXAM, "--force"], hub.course, env)
    run(["nbgrader", "release_assignment", EXAM, "--force"], hub.course, env)
    deadline = time.monotonic() + 60
    while exam_status(hub).get(EXAM, {}).get("kind") != "practice":  # the course-status service pushes it
        assert time.monotonic() < deadline, "the course-status service did not hand the policy to the exchange"
        time.sleep(1)
    return closes


def seconds_left(text: str) -> int:
    """'0:28:36 left' -> 1716."""
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d) left", text)
    assert match, f"the countdown says {text!r}"
    hours, minutes, seconds = map(int, match.groups())
    return 3600 * hours + 60 * minutes + seconds


def shot(page, name, counter=[0]):
    SHOTS.mkdir(parents=True, exist_ok=True)
    counter[0] += 1
    page.screenshot(path=str(SHOTS / f"{counter[0]:02d}_{name}.png"))


def test_student_takes_the_practice_exam_sees_the_time_left_and_reads_feedback(hub, browser, practice_exam):
    started = time.monotonic()
    hub.start_server(STUDENT)  # the login then lands in a running JupyterLab
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    login(page, hub, STUDENT)
    page.wait_for_url(re.compile(rf".*/user/{STUDENT}/lab.*"), timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel")

    # --- the remaining time, on the hub's course-status page linked from the hub's home
    status = context.new_page()
    status.goto(f"{hub.url}/hub/home")
    status.click("a#course-status")
    status.wait_for_url(re.compile(r".*/services/course-status/.*"))
    countdown = status.locator(f"#exam-{EXAM} .countdown")
    countdown.wait_for()
    first = countdown.inner_text()
    expected = (practice_exam - datetime.now(timezone.utc)).total_seconds()
    assert abs(seconds_left(first) - expected) < 60, (first, expected)
    status.wait_for_timeout(2100)
    later = countdown.inner_text()
    assert 1 <= seconds_left(first) - seconds_left(later) <= 4, (first, later)
    assert practice_exam.strftime("%Y-%m-%d %H:%M:%S") in status.inner_text(f"#exam-{EXAM}")
    assert "Exam admission" in status.inner_text("body")
    shot(status, "time_left")

    # --- fetches the exam, answers question 1 in JupyterLab, saves
    page.bring_to_front()
    panel = open_assignment_list(page)
    notebook = fetch_and_open(page, panel, EXAM)
    cell = notebook.locator(".jp-CodeCell", has_text="# Question 1: set answer_q1").first
    cell.wait_for()
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type('answer_q1 = "b"')
    dismiss_dialogs(page)
    page.keyboard.press("Control+s")
    saved_path = unix_home(STUDENT) / EXAM / f"{EXAM}.ipynb"
    deadline = time.monotonic() + 30
    while 'answer_q1 = \\"b\\"' not in saved_path.read_text():
        assert time.monotonic() < deadline, "the answer was not saved"
        dismiss_dialogs(page)
        time.sleep(0.5)
    shot(page, "answered")

    # --- submits; the list shows the platform's receipt time
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    panel.locator("#fetched_assignments_list .list_item", has_text=EXAM).first.locator("button", has_text="Submit").click()
    submitted = panel.locator("#submitted_assignments_list .list_item", has_text=EXAM).first
    submitted.wait_for()
    stamp = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC", submitted.inner_text()).group(0)
    shot(page, "submitted")
    status.reload()
    assert stamp[:19] in status.inner_text("#assignments"), "the status page shows the latest receipt"

    # --- nobody else acts: the hub's grading worker grades it and releases the feedback; the student fetches it
    dismiss_dialogs(page)
    submitted_at = time.monotonic()
    view = panel.locator("#submitted_assignments_list a", has_text="view feedback").first
    while not view.is_visible():
        assert time.monotonic() - submitted_at < 300, (
            "no feedback 5 minutes after submitting:\n" + hub.log.read_text(errors="replace")[-4000:])
        page.wait_for_timeout(5000)
        dismiss_dialogs(page)  # JupyterLab may have put up a notice meanwhile
        panel.locator("#refresh_assignments_list").click()
        submitted = panel.locator("#submitted_assignments_list .list_item", has_text=EXAM).first
        submitted.locator("button", has_text="Fetch Feedback").click()
        page.wait_for_timeout(1000)
    (SHOTS / "feedback_seconds.txt").write_text(f"{time.monotonic() - submitted_at:.1f}\n")
    text = read_feedback(page, panel, EXAM)
    shot(page, "feedback")
    assert f"{EXAM} (Score: 1.0 / 43.0)" in text, text[:500]  # question 1 right, nothing else answered
    assert "Platform grader: 1 / 7 points" in text, "the multiple-choice verdict: question 1 of 7 right"
    context.close()
    (SHOTS / "seconds.txt").write_text(f"{time.monotonic() - started:.1f}\n")


def test_instructor_sees_admission_and_grants_an_extension_in_the_hub(hub, browser, practice_exam):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    login(page, hub, "instructor")
    page.wait_for_url(re.compile(r".*/hub/home"))
    page.click("a#course-status")
    page.wait_for_selector("#admission")
    assert "Rule: 50 % of the points of all homework sheets" in page.inner_text("body")
    assert EXAM in page.inner_text("#policies")
    form = page.locator("#extend-form")
    form.locator("input[name=student]").fill("ben")
    form.locator("select[name=assignment]").select_option(EXAM)
    form.locator("input[name=hours]").fill("1.5")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#extensions td:text-is('ben')")
    shot(page, "instructor_extension")
    moved = practice_exam + timedelta(hours=1.5)
    assert moved.strftime("%Y-%m-%d %H:%M:%S") in page.inner_text("#extensions")
    assert exam_status(hub, "ben")[EXAM]["deadline"] == moved.isoformat(), "the exchange enforces it at once"
    assert exam_status(hub, "ada")[EXAM]["deadline"] == practice_exam.isoformat(), "nobody else's deadline moves"
    context.close()
