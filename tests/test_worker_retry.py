"""The hub's grading worker retries a submission whose grading crashed, then reports it.

Grading here is the real ``course grade`` on the tiny course; the crash is a real one (the
assignment's hidden graders are missing, an error only the instructor can fix).
"""

from __future__ import annotations

import json
import shutil

from conftest import course_env, run
from course_lib.grading.assignment import GRADING_DIR
from course_lib.hub.worker import ATTENTION_FILE, MAX_ATTEMPTS, due_for_grading, record_attempts
from redteam.tiny import ASSIGNMENT, make_tiny_course, reference, submit


def _grade(root, students, env):
    run(["course", "grade", ASSIGNMENT, "--quiet"] + [a for s in students for a in ("--student", s)], root, env,
        check=False)


def test_a_crashing_submission_is_retried_then_reported_and_a_fixed_one_clears(tmp_path):
    root = make_tiny_course(tmp_path / "course")
    env = course_env(COURSE_GRADING_SEED="3")
    graders = root / "grader_tests" / ASSIGNMENT
    shutil.move(graders, tmp_path / "graders-aside")  # every grading of this assignment now fails
    submit(root, "ada", reference(root))

    changed = ["ada"]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        due = due_for_grading(root, ASSIGNMENT, changed)
        assert due == ["ada"], (attempt, due)
        _grade(root, due, env)
        reported = record_attempts(root, ASSIGNMENT, due, changed)
        changed = []
        assert reported == (["ada"] if attempt == MAX_ATTEMPTS else [])
    assert due_for_grading(root, ASSIGNMENT, []) == [], "reported, so not retried until something changes"
    attention = json.loads((root / GRADING_DIR / ATTENTION_FILE).read_text())
    entry = attention[f"{ASSIGNMENT}/ada"]
    assert entry["attempts"] == MAX_ATTEMPTS and "hidden graders" in entry["message"], entry

    shutil.move(tmp_path / "graders-aside", graders)  # the instructor fixes the graders; the student resubmits
    submit(root, "ada", reference(root))
    due = due_for_grading(root, ASSIGNMENT, ["ada"])
    _grade(root, due, env)
    assert record_attempts(root, ASSIGNMENT, due, ["ada"]) == []
    assert json.loads((root / GRADING_DIR / ATTENTION_FILE).read_text()) == {}
    assert due_for_grading(root, ASSIGNMENT, []) == []
