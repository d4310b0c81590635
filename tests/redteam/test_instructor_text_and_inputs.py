"""Two promises of the trusted side, each graded through the real pipeline on the tiny course.

* No instructor text reaches the kernel: a notebook that searches its whole sandbox for the
  assignment's mark scheme finds nothing, and neither its graded outputs nor its feedback
  (the HTML that a practice exam releases within a minute) holds the mark scheme.
* Fresh inputs per submission: the graders' inputs depend on the submitted code, so a
  resubmission sees new inputs, and grading the same submission again gives the same verdict.
"""

from __future__ import annotations

import nbformat
import pytest

from conftest import course_env, run
from redteam.tiny import ASSIGNMENT, make_tiny_course, reference, submit, with_cell

MARK = "MARKSCHEME-PLUM-7Q"

SEARCH = f'''
def mean_of(values):
    return float(np.mean(values))


import glob, os
hits = []
for base in (".", os.path.expanduser("~"), "/tmp", "/run", "/home"):
    for folder, dirs, files in os.walk(base):
        for name in files:
            try:
                with open(os.path.join(folder, name), errors="ignore") as handle:
                    if "{MARK[:10]}" + "{MARK[10:]}" in handle.read():
                        hits.append(os.path.join(folder, name))
            except OSError:
                pass
print("mark scheme found in:", hits)
for path in glob.glob("*.ipynb"):
    print(open(path).read())
'''


def _with_marked_task(root) -> None:
    source = root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(source, as_version=4)
    task = nbformat.v4.new_markdown_cell(
        "**Discuss.** Why does the mean of many squares never fall below zero?\n\n"
        f"=== BEGIN MARK SCHEME ===\n{MARK}: one point for naming that every square is non-negative.\n"
        "=== END MARK SCHEME ===")
    task.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": True, "task": True, "points": 1,
                                 "grade_id": "discuss", "schema_version": 3}
    nb.cells.append(task)
    nbformat.write(nb, source)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force"], root, course_env())


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("instructor-text") / "course")
    _with_marked_task(root)
    return root


def test_no_mark_scheme_reaches_the_kernel_its_outputs_or_the_feedback(course):
    root = course
    env = course_env(COURSE_GRADING_SEED="5")
    submit(root, "mallory", with_cell(reference(root), "mean_solution", SEARCH))
    run(["course", "grade", ASSIGNMENT, "--student", "mallory", "--quiet"], root, env)
    graded = nbformat.read(root / "autograded" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    outputs = "\n".join(nbformat.writes(nbformat.v4.new_notebook(cells=[c])) for c in graded.cells if c.cell_type == "code")
    assert "mark scheme found in: []" in outputs, outputs[-2000:]
    assert MARK not in outputs
    run(["nbgrader", "generate_feedback", ASSIGNMENT, "--student", "mallory", "--force"], root, env)
    feedback = (root / "feedback" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "mark scheme found in: []" in feedback
    assert MARK not in feedback


def _verdict(root, student: str) -> list[str]:
    nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "square":
            return [line for output in cell.outputs for line in output.get("traceback", [])]
    raise AssertionError("no square check cell")


def test_a_resubmission_gets_new_inputs_and_a_regrade_the_same_verdict(course):
    root = course
    env = course_env(COURSE_GRADING_SEED="11")
    shows_its_input = "def square(x):\n    raise ValueError(repr(x))"
    grade = ["course", "grade", ASSIGNMENT, "--student", "ada", "--quiet"]

    submit(root, "ada", with_cell(reference(root), "square_solution", shows_its_input))
    run(grade, root, env)
    first = _verdict(root, "ada")
    assert any("raised an error in your code: 'ValueError:" in line for line in first), first
    run(grade + ["--regrade"], root, env)
    assert _verdict(root, "ada") == first

    submit(root, "ada", with_cell(reference(root), "square_solution", shows_its_input + "\n# second try"))
    run(grade + ["--regrade"], root, env)
    second = _verdict(root, "ada")
    assert any("raised an error in your code: 'ValueError:" in line for line in second), second
    assert second != first
