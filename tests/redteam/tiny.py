"""A tiny assignment ("redteam") for grading tests that need many submissions fast.

Two autograded tasks (``square``: 2 points, ``mean``: 1 point) checked by hidden graders,
and one manually graded answer (``explain``: 1 point). A course built here uses the
repository's own nbgrader_config.py, so grading runs through the real pipeline: sandbox,
hidden graders, gradebook.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import nbformat

from conftest import course_env, make_course, run
from course_lib.authoring import reference_submission

ASSIGNMENT = "redteam"
MAX_AUTO = {"square": 2.0, "mean": 1.0}

GRADERS = '''
import numpy as np
import pytest

from course_lib.grading.checks import as_array


@pytest.mark.grade_cell("square", weight=1)
def test_square_of_numbers(student, rng):
    """square(x) equals x * x"""
    for x in rng.uniform(-10, 10, size=3):
        got = student.call("square", float(x))
        assert isinstance(got, (int, float)) and abs(got - x * x) < 1e-9, "square(x) is not x * x"


@pytest.mark.grade_cell("mean", weight=1)
def test_mean_of_values(student, rng):
    """mean_of(values) is the arithmetic mean"""
    values = rng.normal(size=20)
    got = as_array(student.call("mean_of", values), "mean_of(values)")
    assert got.shape == () and np.allclose(got, values.mean()), "mean_of(values) is not the mean"
'''

# Short limits so that the hostile corpus finishes quickly; the defaults fit real notebooks.
LIMITS = """
cell_timeout = 10
call_timeout = 5
wall_time = 40
interrupt_grace = 3
memory_mb = 1536
output_mb = 2
processes = 128
"""


def _cell(kind: str, source: str, **grading) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grading:
        meta = {"grade": False, "solution": False, "locked": False, "schema_version": 3, "task": False}
        meta.update(grading)
        cell.metadata["nbgrader"] = meta
    return cell


def source_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        _cell("markdown", "# Red team\nA tiny assignment for grading tests.", grade_id="intro", locked=True),
        _cell("code", "import numpy as np", grade_id="imports", locked=True),
        _cell("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
              grade_id="square_solution", solution=True),
        _cell("code", "# Platform check: square (run by the hidden graders)", grade_id="square", grade=True,
              locked=True, points=2),
        _cell("code", "def mean_of(values):\n    ### BEGIN SOLUTION\n    return float(np.mean(values))\n    ### END SOLUTION",
              grade_id="mean_solution", solution=True),
        _cell("code", "# Platform check: mean_of (run by the hidden graders)", grade_id="mean", grade=True,
              locked=True, points=1),
        _cell("markdown", "Why is a square never negative?\n\n### BEGIN SOLUTION\nA product of two equal signs.\n### END SOLUTION",
              grade_id="explain", grade=True, solution=True, points=1),
    ]
    return nb


def make_tiny_course(target: Path, limits: str = LIMITS) -> Path:
    """A course with only the tiny assignment, generated (release/ and the gradebook exist)."""
    root = make_course(target, ["lecture01"])  # the repository's config; lecture01 stays unused
    folder = root / "source" / ASSIGNMENT
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    graders = root / "grader_tests" / ASSIGNMENT
    graders.mkdir(parents=True)
    (graders / "test_redteam.py").write_text(GRADERS)
    (graders / "limits.toml").write_text(limits)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], root, course_env())
    return root


def release(root: Path) -> nbformat.NotebookNode:
    return nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def reference(root: Path) -> nbformat.NotebookNode:
    return reference_submission(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                                root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")


def with_cell(nb: nbformat.NotebookNode, grade_id: str, code: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = code
            return nb
    raise KeyError(grade_id)


def submit(root: Path, student: str, nb: nbformat.NotebookNode | None) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    return folder


def wrong_answers() -> dict[str, str]:
    return {"square_solution": "def square(x):\n    return x + x", "mean_solution": "def mean_of(values):\n    return 0.0"}


def grades(root: Path, env: dict | None = None) -> dict[str, dict[str, float]]:
    """student -> grade cell -> score, through `course grades`."""
    table = json.loads(run(["course", "grades", ASSIGNMENT, "--format", "json"], root, env or course_env()).stdout)
    scores: dict[str, dict[str, float]] = {}
    for row in table:
        scores.setdefault(row["student"], {})[row["grade_cell"]] = row["score"]
    return scores


def auto_total(scores: dict[str, float]) -> float:
    return sum(v for k, v in scores.items() if k in MAX_AUTO)


def journal(root: Path) -> list[dict]:
    path = root / "autograded" / ".grading" / f"{ASSIGNMENT}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def gradebook_rows(root: Path, student: str) -> list[tuple]:
    """Every grade and comment row of one student, straight from SQLite."""
    db = sqlite3.connect(root / "gradebook.db")
    try:
        grades_ = db.execute(
            "select g.id, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade from grade g "
            "join submitted_notebook n on g.notebook_id = n.id join submitted_assignment a on n.assignment_id = a.id "
            "where a.student_id = ? order by g.id", (student,)).fetchall()
        comments = db.execute(
            "select c.id, c.auto_comment, c.manual_comment from comment c "
            "join submitted_notebook n on c.notebook_id = n.id join submitted_assignment a on n.assignment_id = a.id "
            "where a.student_id = ? order by c.id", (student,)).fetchall()
    finally:
        db.close()
    return grades_ + comments
