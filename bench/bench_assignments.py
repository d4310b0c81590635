"""Grading time of every assignment's reference solution on this machine.

For each assignment in source/ it measures, in one run:

1. bare execution: the reference notebook run top to bottom by nbclient, no sandbox, no graders
   (the floor any grading must pay);
2. `course grade` of the reference as the only submission: sandbox, the whole notebook, the
   hidden graders and the gradebook.

It prints both times, their ratio (the platform's overhead for a notebook of that size), and
whether grading stays within the course's budget of 3 minutes per assignment.

    python bench/bench_assignments.py [ASSIGNMENT ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
from _common import bare_seconds  # noqa: E402

from course_lib.authoring import reference_submission  # noqa: E402

BUDGET_SECONDS = 180
BIN = Path(sys.executable).parent


def course_copy(base: Path, assignment: str) -> Path:
    """A scratch course holding one assignment and its reference as the only submission."""
    root = base / assignment
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    for folder in ("source", "release", "grader_tests"):
        if (REPO / folder / assignment).is_dir():
            shutil.copytree(REPO / folder / assignment, root / folder / assignment)
    notebook = reference_submission(root / "source" / assignment / f"{assignment}.ipynb",
                                    root / "release" / assignment / f"{assignment}.ipynb")
    submitted = root / "submitted" / "reference" / assignment
    shutil.copytree(root / "release" / assignment, submitted)
    nbformat.write(notebook, submitted / f"{assignment}.ipynb")
    return root


def grade_seconds(root: Path, assignment: str) -> tuple[float, str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COURSE_GRADING_SEED="1")
    subprocess.run(["nbgrader", "generate_assignment", assignment, "--force", "--log-level=ERROR"],
                   cwd=root, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(["course", "grade", assignment, "--quiet"], cwd=root, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["failed"])[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment in source/")
    assignments = parser.parse_args().assignments or sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    print(f"{'assignment':34} {'bare s':>7} {'graded s':>9} {'ratio':>6}  within {BUDGET_SECONDS} s")
    over = 0
    with tempfile.TemporaryDirectory(prefix="bench-assignments-") as base:
        for assignment in assignments:
            root = course_copy(Path(base), assignment)
            bare = bare_seconds(root / "submitted" / "reference" / assignment / f"{assignment}.ipynb")
            graded, problem = grade_seconds(root, assignment)
            ok = graded <= BUDGET_SECONDS and not problem
            over += not ok
            print(f"{assignment:34} {bare:7.1f} {graded:9.1f} {graded / bare:6.2f}  {'yes' if ok else 'NO'} {problem}", flush=True)
    print(f"{len(assignments) - over} of {len(assignments)} assignments graded within {BUDGET_SECONDS} s")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
