"""Hidden graders are needed exactly when a notebook has autograded cells."""

from __future__ import annotations

import json
import shutil

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import course_env, run

ENV = dict(COURSE_GRADING_SEED="5")


def _submit_release(course, assignment: str, student: str = "ada") -> None:
    target = course / "submitted" / student / assignment
    shutil.copytree(course / "release" / assignment, target)


def test_an_assignment_with_only_manual_tasks_is_graded_without_graders(course):
    """A sheet of essays (or a challenge, which the leaderboard scores) has no grader_tests/ folder."""
    folder = course / "source" / "essay"
    folder.mkdir(parents=True)
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nprint(np.pi)", metadata={"nbgrader": {
            "grade": False, "solution": False, "locked": True, "grade_id": "given", "schema_version": 3}}),
        new_markdown_cell("YOUR ANSWER HERE", metadata={"nbgrader": {
            "grade": True, "solution": True, "locked": False, "points": 3, "grade_id": "essay", "schema_version": 3}}),
    ])
    nbformat.write(nb, folder / "essay.ipynb")
    env = course_env(**ENV)
    run(["nbgrader", "generate_assignment", "essay", "--force"], course, env)
    _submit_release(course, "essay")
    submitted = course / "submitted" / "ada" / "essay" / "essay.ipynb"
    answer = nbformat.read(submitted, as_version=4)
    answer.cells[1].source = "Gradient descent follows the steepest slope downhill."
    nbformat.write(answer, submitted)
    graded = run(["course", "grade", "essay", "--quiet"], course, env)
    assert "graded 1 of 1" in graded.stdout + graded.stderr
    rows = json.loads(run(["course", "grades", "essay", "--format", "json"], course, env).stdout)
    assert [(r["grade_cell"], r["kind"], r["max_score"], r["needs_manual_grade"]) for r in rows] == [("essay", "manual", 3.0, True)]


def test_autograded_cells_without_their_graders_fail_and_name_the_folder(course):
    env = course_env(**ENV)
    run(["nbgrader", "generate_assignment", "lecture01", "--force"], course, env)
    shutil.rmtree(course / "grader_tests" / "lecture01")
    _submit_release(course, "lecture01")
    result = run(["course", "grade", "lecture01", "--quiet"], course, env, check=False)
    assert result.returncode != 0
    assert f"no hidden graders found at {course.resolve() / 'grader_tests' / 'lecture01'}" in result.stdout + result.stderr
