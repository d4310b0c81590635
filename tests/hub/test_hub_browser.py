"""Acceptance 2: the whole course flow in a real browser (Playwright driving Debian's Chromium).

A student fetches lecture01 from the assignment list, solves a task in JupyterLab, runs it,
answers a free-text question and submits. The instructor opens the formgrader in its own tab,
collects, autogrades, gives manual points and releases feedback. The student fetches the
feedback and sees the points. Each step leaves a screenshot in test-artifacts/hub/browser/.
"""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS, unix_home

SHOTS = ARTIFACTS / "browser"
SOLUTION = ("def cost_gradient(theta, x, y):\n",
            "return float(np.mean((np.sin(theta * x) - y) * np.cos(theta * x) * x))")
ANSWER = "Yes: with small batches the noise kicks theta out of the bad basin near 6, so SGD reaches a deeper minimum."


class Shots:
    def __init__(self):
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()
        self.count = 0
        self.times: list[tuple[str, float]] = []
        self.started = time.monotonic()

    def __call__(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=str(SHOTS / f"{self.count:02d}_{name}.png"))
        self.times.append((name, time.monotonic() - self.started))


def login(page, hub, user):
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.accounts[user])
    page.click("input[type=submit], button[type=submit]")


def open_assignment_list(page):
    page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
    page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
    panel = page.locator("#nbgrader-assignment-list")
    panel.locator("#released_assignments_list_loading").wait_for(state="hidden", timeout=60_000)
    return panel


def fetch_and_open(page, panel, assignment):
    """Fetch ``assignment`` in the assignment list and open its notebook; returns the notebook once its kernel is idle."""
    panel.locator("#released_assignments_list .list_item", has_text=assignment).first.locator("button", has_text="Fetch").click()
    fetched = panel.locator("#fetched_assignments_list .list_item", has_text=assignment).first
    fetched.wait_for()
    fetched.locator("a.assignment-notebooks-link").click()
    panel.locator("#fetched_assignments_list .nested_list_item a", has_text=assignment).click()
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").last
    notebook.locator(".jp-Cell").first.wait_for()
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"ipykernel\)? \| Idle")).first.wait_for(timeout=180_000)
    return notebook


def read_feedback(page, panel, assignment) -> str:
    """Open the fetched feedback of ``assignment`` from the assignment list; returns the text of its HTML page."""
    view = panel.locator("#submitted_assignments_list a", has_text="view feedback").first
    view.wait_for()
    dismiss_dialogs(page)
    view.click()
    item = page.locator(".jp-DirListing-item", has_text=f"{assignment}.html")
    item.wait_for()
    item.dblclick()
    # the viewer's frame has a body before the page is in it: wait for the page's own text
    body = page.frame_locator(".jp-HTMLViewer iframe").last.locator("body", has_text=assignment)
    body.wait_for()
    return body.inner_text()


DIALOGS: list[str] = []


def dismiss_dialogs(page):
    """Accept a JupyterLab dialog if one is up (e.g. 'file changed on disk' -> overwrite), noting its text."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        DIALOGS.append(dialog.first.inner_text())
        dialog.first.locator(".jp-mod-accept").first.click()
        dialog.first.wait_for(state="hidden")


def run_cell(page, cell, attempts: int = 3):
    """Run one cell, and make sure it was queued: on a busy machine a keystroke can reach a page not yet ready."""
    for attempt in range(attempts):
        dismiss_dialogs(page)
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputPrompt").first.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Shift+Enter")
        try:  # "[*]:" while it runs, "[n]:" once it ran
            cell.locator(".jp-InputPrompt", has_text=re.compile(r"\[(\*|\d+)\]")).first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def modal_ok(fg, timeout=600_000):
    dialog = fg.locator(".modal-dialog")
    dialog.wait_for(timeout=timeout)
    text = dialog.inner_text()
    dialog.locator("button", has_text="OK").click()
    dialog.wait_for(state="hidden")
    return text


def test_student_and_instructor_flow_in_the_browser(hub, browser):
    shot = Shots()
    student = browser.new_context(viewport={"width": 1400, "height": 900})
    student.set_default_timeout(60_000)
    page = student.new_page()

    # --- the student logs in and lands in JupyterLab
    page.goto(f"{hub.url}/hub/login")
    shot(page, "login_page")
    login(page, hub, "ada")
    page.wait_for_url(re.compile(r".*/user/ada/lab.*"), timeout=180_000)
    page.wait_for_selector("#jp-main-dock-panel")
    shot(page, "student_lab")

    # --- fetches lecture01 from the assignment list
    panel = open_assignment_list(page)
    panel.locator("#released_assignments_list .list_item", has_text="lecture01").first.wait_for()
    shot(page, "assignment_list")

    # --- opens the notebook, solves the gradient task, runs it with its self-check
    notebook = fetch_and_open(page, panel, "lecture01")
    shot(page, "fetched")
    run_cell(page, notebook.locator(".jp-CodeCell", has_text="def apply_layer").first)
    run_cell(page, notebook.locator(".jp-CodeCell", has_text="def sample_cost").first)
    solution = notebook.locator(".jp-CodeCell", has_text="def cost_gradient(theta, x, y):").first
    solution.scroll_into_view_if_needed()
    solution.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    for line in SOLUTION:
        page.keyboard.type(line)
    assert "np.cos(theta * x)" in solution.locator(".cm-content").inner_text()
    page.keyboard.press("Shift+Enter")
    check = notebook.locator(".jp-CodeCell", has_text="Self-check (no points): compare with a finite difference").first
    run_cell(page, check)
    output = check.locator(".jp-OutputArea-output", has_text=re.compile(r"yours: .* finite difference: |Error"))
    output.wait_for(timeout=120_000)
    assert "Error" not in output.inner_text(), output.inner_text()
    numbers = [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", output.inner_text())]
    assert len(numbers) == 2 and abs(numbers[0] - numbers[1]) < 1e-5, output.inner_text()
    assert re.match(r"\[\d+\]", solution.locator(".jp-InputPrompt").inner_text().strip())
    shot(page, "solved_and_ran")

    # --- answers the free-text question, saves and submits
    answer = notebook.locator(".jp-MarkdownCell", has_text="Your answer here").last
    answer.scroll_into_view_if_needed()
    answer.click()
    page.keyboard.press("Enter")
    answer.locator(".cm-editor.cm-focused").wait_for()
    page.keyboard.press("Control+a")
    page.keyboard.type(ANSWER)
    page.keyboard.press("Shift+Enter")
    dismiss_dialogs(page)
    page.keyboard.press("Control+s")
    page.wait_for_timeout(500)
    dismiss_dialogs(page)
    deadline = time.monotonic() + 30
    saved = ""
    while time.monotonic() < deadline:
        saved = (unix_home("ada") / "lecture01" / "lecture01.ipynb").read_text()
        if ANSWER in saved and "np.cos(theta * x)" in saved:
            break
        time.sleep(0.5)
    assert ANSWER in saved and "np.cos(theta * x)" in saved, "the notebook was not saved with the work"
    shot(page, "answered_and_saved")
    dismiss_dialogs(page)
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    panel.locator("#fetched_assignments_list .list_item", has_text="lecture01").first.locator("button", has_text="Submit").click()
    submitted = panel.locator("#submitted_assignments_list .list_item", has_text="lecture01").first
    submitted.wait_for()
    stamp = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC", submitted.inner_text()).group(0)
    shot(page, "submitted")
    receipts = requests.get(f"{hub.exchange_url}/api/courses/mlphys/submissions", params={"student": "ada"},
                            headers={"Authorization": f"token {hub.token('formgrader')}"}, timeout=30).json()
    assert [r["timestamp"] for r in receipts] == [stamp], "the list shows the platform's receipt time"

    # --- the instructor: hub home, formgrader in its own tab
    teacher = browser.new_context(viewport={"width": 1400, "height": 900})
    teacher.set_default_timeout(60_000)
    home = teacher.new_page()
    login(home, hub, "instructor")
    home.wait_for_url(re.compile(r".*/hub/home"))
    shot(home, "instructor_home")
    with teacher.expect_page() as opened:
        home.click("#open-formgrader")
    fg = opened.value
    fg.wait_for_load_state()
    fg.wait_for_selector("tr:has-text('lecture01')")
    assert fg.url.startswith(f"{hub.url}/services/mlphys/formgrader")
    shot(fg, "formgrader_own_tab")
    # nbgrader's course-list link (/lab?formgrader=true) lands on the same page, not in a blank iframe
    response = fg.goto(f"{hub.url}/services/mlphys/lab?formgrader=true")
    assert "/services/mlphys/formgrader" in fg.url and "frame-ancestors 'none'" in (response.headers.get("content-security-policy") or "")
    fg.wait_for_selector("tr:has-text('lecture01')")

    # --- collects and autogrades
    row = fg.locator("tr", has_text="lecture01").first
    row.locator("td.collect a").click()
    assert "Successfully collected" in modal_ok(fg)
    shot(fg, "collected")
    fg.goto(f"{hub.url}/services/mlphys/formgrader/manage_submissions/lecture01")
    ada_row = fg.locator("tr", has_text="ada").first
    ada_row.locator("td.autograde a").click()
    assert "Success" in modal_ok(fg)
    fg.reload()
    fg.locator("tr", has_text="ada").first.locator("td.status", has_text="needs manual grading").wait_for()
    shot(fg, "autograded")

    # --- gives manual points to the free-text answer
    fg.goto(f"{hub.url}/services/mlphys/formgrader/gradebook/lecture01/lecture01")
    fg.goto(hub.url + fg.locator("tr", has_text="ada").first.locator("a.name-shown").get_attribute("href"))
    box = fg.locator("input#noise_discussion.needs_manual_grade")  # the class marks the form's script as ready
    box.wait_for(timeout=120_000)
    assert ANSWER[:40] in fg.inner_text("body")
    box.scroll_into_view_if_needed()
    with fg.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        box.fill("1")
        box.press("Tab")
    assert saved.value.ok
    shot(fg, "manual_points")
    fg.reload()  # the value comes back from the gradebook
    fg.wait_for_function("document.querySelector('input#noise_discussion') && document.querySelector('input#noise_discussion').value === '1'",
                         timeout=30_000)

    # --- releases feedback
    fg.goto(f"{hub.url}/services/mlphys/formgrader/manage_assignments")
    row = fg.locator("tr", has_text="lecture01").first
    row.locator("td.generate-feedback a").click()
    assert "Success" in modal_ok(fg)
    fg.locator("tr", has_text="lecture01").first.locator("td.release-feedback a").click()
    assert "Successfully released feedback" in modal_ok(fg)
    shot(fg, "feedback_released")

    # --- the student fetches the feedback, opens it and sees the points
    page.bring_to_front()
    panel.locator("#refresh_assignments_list").click()
    submitted = panel.locator("#submitted_assignments_list .list_item", has_text="lecture01").first
    submitted.locator("button", has_text="Fetch Feedback").click()
    text = read_feedback(page, panel, "lecture01")
    shot(page, "student_reads_feedback")
    assert "lecture01 (Score: 3.0 / 16.0)" in text, text[:500]  # 2 autograded + 1 from the instructor
    assert "Task (Score: 1.0 / 1.0)" in text
    student.close()
    teacher.close()
    (SHOTS / "timings.txt").write_text("".join(f"{t:7.1f} s  {name}\n" for name, t in shot.times)
                                       + "".join(f"dialog accepted: {d!r}\n" for d in DIALOGS))


def test_students_cannot_open_the_formgrader(hub):
    session = hub.login("ben")
    response = session.get(f"{hub.url}/services/mlphys/formgrader", timeout=60)
    assert response.status_code == 403 or "/services/mlphys/formgrader" not in response.url
