"""Every course notebook runs offline: the reference solution runs cleanly where the network is cut off.

Grading runs each notebook in a sandbox without network (`tests/test_sandbox.py` shows that a
connection attempt fails there). Here every assignment's reference submission, graded in that
sandbox, must run every cell without an error, so no notebook downloads data or packages.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import REPO
from course_lib.leaderboard.config import CHALLENGE_ASSIGNMENTS

# Every graded assignment, the ones graded only by rubric included (the challenges are scored by the
# leaderboard, not graded here).
ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir() and p.name not in CHALLENGE_ASSIGNMENTS)


def test_the_course_grades_in_the_network_less_sandbox():
    from course_lib.course_dir import load_config

    assert load_config(REPO).HiddenGraderExecute.sandbox == "bwrap"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_runs_every_cell_without_network(graded_batch, assignment):
    batch = graded_batch(assignment)
    notebook = nbformat.read(batch.autograded_notebook("reference"), as_version=4)
    errors = [
        f"cell {index + 1}: {output.get('ename')}: {output.get('evalue')}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors, f"{assignment}'s reference failed offline: {errors}"
