"""release/ is exactly what `nbgrader generate_assignment` makes from source/, and leaks nothing."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, generated_course

ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


def _files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_matches_a_fresh_generation(tmp_path, assignment):
    course = generated_course(tmp_path / "course", assignment)
    fresh, committed = course / "release" / assignment, REPO / "release" / assignment
    assert committed.is_dir(), f"release/{assignment} is missing; run `make release`"
    assert _files(fresh) == _files(committed), "release/ has different files; run `make release`"
    for name in _files(fresh):
        if name.suffix == ".ipynb":
            same = json.loads((fresh / name).read_text()) == json.loads((committed / name).read_text())
        else:
            same = (fresh / name).read_bytes() == (committed / name).read_bytes()
        assert same, f"release/{assignment}/{name} is out of date; run `make release`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solutions_or_mark_schemes(assignment):
    for notebook in (REPO / "release" / assignment).rglob("*.ipynb"):
        text = notebook.read_text()
        assert not re.search(r"(BEGIN|END) (SOLUTION|MARK SCHEME|HIDDEN TESTS)", text), notebook


def test_hidden_graders_exist_exactly_for_autograded_assignments():
    """A sheet with autograded cells needs its graders; one graded only by rubric (the mini-project) has none."""
    from course_lib.leaderboard.config import CHALLENGE_ASSIGNMENTS  # scored by the leaderboard instead
    from conftest import autograded_cells

    for assignment in set(ASSIGNMENTS) - set(CHALLENGE_ASSIGNMENTS):
        graders = list((REPO / "grader_tests" / assignment).glob("test_*.py"))
        autograded = autograded_cells(REPO / "source" / assignment / f"{assignment}.ipynb")
        assert bool(graders) == bool(autograded), (
            f"{assignment}: {len(autograded)} autograded cells but {len(graders)} grader files"
        )
