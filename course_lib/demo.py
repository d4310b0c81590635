"""`course demo` (what `make run` starts): the whole grading pipeline on a throw-away demo course.

It builds a course under ``demo/``, releases every assignment to a local exchange,
lets three demo students fetch and submit (a reference solution, the untouched
release, and a half-right attempt), collects, grades with the hidden graders, and
prints the grade table. As root the students are real accounts going through
nbgrader's exchange; otherwise their submissions are placed where `collect` puts them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd

from .accounts import PREFIX, AccountsUnavailable, as_user, chown_tree
from .authoring import parse_variant, reference_submission
from .course_dir import load_config
from .grading.grades import grade_table, totals

COURSE_FILES = ("nbgrader_config.py", "source", "grader_tests")
STUDENTS = {"ada": "reference", "ben": "blank", "cleo": "half-right"}


def _run(cmd: list[str], cwd: Path, env: dict) -> None:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")


def _half_right(repo: Path, assignment: str) -> dict[str, str]:
    """Every second autograded task answered with a wrong solution from the grader's corpus."""
    corpus = sorted((repo / "grader_tests" / assignment / "wrong_solutions").glob("*.py"))
    chosen: dict[str, str] = {}
    for variant in map(parse_variant, corpus):
        chosen.setdefault(variant["replaces"], variant["code"])
    return dict(list(chosen.items())[::2])


def _answers(repo: Path, course: Path, assignment: str, fetched: Path, kind: str) -> nbformat.NotebookNode:
    source = course / "source" / assignment / f"{assignment}.ipynb"
    if kind == "blank":
        return nbformat.read(fetched, as_version=4)
    overrides = _half_right(repo, assignment) if kind == "half-right" else {}
    return reference_submission(source, fetched, overrides)


def build_demo(repo: Path, workdir: Path, log=print) -> pd.DataFrame:
    """Run the pipeline end to end in ``workdir``; return the per-student totals."""
    if workdir.exists():
        shutil.rmtree(workdir)
    course, exchange, homes = workdir / "course", workdir / "exchange", workdir / "homes"
    course.mkdir(parents=True)
    for name in COURSE_FILES:
        (shutil.copytree if (repo / name).is_dir() else shutil.copy)(repo / name, course / name)
    for folder in (workdir, exchange):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
    env = dict(os.environ, COURSE_EXCHANGE=str(exchange), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assignments = sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
    for assignment in assignments:
        log(f"releasing {assignment}")
        _run(["nbgrader", "generate_assignment", assignment, "--force"], course, env)
        _run(["nbgrader", "release_assignment", assignment, "--force"], course, env)

    try:
        students = {PREFIX + name: kind for name, kind in STUDENTS.items()}
        for student in students:
            as_user(student, ["true"])
        through_exchange = True
    except AccountsUnavailable:
        students, through_exchange = dict(STUDENTS), False
        log("not root: demo students cannot have accounts, so their work is placed where `nbgrader collect` puts it")

    for student, kind in students.items():
        home = homes / student
        home.mkdir(parents=True)
        for assignment in assignments:
            if through_exchange:
                (home / ".jupyter").mkdir(exist_ok=True)
                (home / ".jupyter" / "nbgrader_config.py").write_text(
                    f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
                    f"c.CourseDirectory.course_id = {load_config(course).CourseDirectory.course_id!r}\n"
                )
                chown_tree(home, student)
                student_env = dict(env, HOME=str(home), USER=student, LOGNAME=student)
                _run(as_user(student, ["nbgrader", "fetch_assignment", assignment]), home, student_env)
                fetched = home / assignment / f"{assignment}.ipynb"
                nbformat.write(_answers(repo, course, assignment, fetched, kind), fetched)
                _run(as_user(student, ["nbgrader", "submit", assignment]), home, student_env)
            else:
                fetched = course / "release" / assignment / f"{assignment}.ipynb"
                target = course / "submitted" / student / assignment
                target.mkdir(parents=True)
                nbformat.write(_answers(repo, course, assignment, fetched, kind), target / f"{assignment}.ipynb")
            log(f"{student} submitted {assignment} ({kind})")

    config = load_config(course)
    tables = []
    for assignment in assignments:
        if through_exchange:
            _run(["nbgrader", "collect", assignment], course, env)
        log(f"grading {assignment} (each submission runs in its own kernel; this takes a minute)")
        _run(["course", "grade", assignment, "--quiet"], course, env)
        table = totals(grade_table(config.CourseDirectory.db_url, config.CourseDirectory.course_id, assignment))
        tables.append(table.assign(assignment=assignment))
    return pd.concat(tables, ignore_index=True)


def main(repo: Path) -> int:
    workdir = repo / "demo"
    table = build_demo(repo, workdir)
    table["points"] = [f"{s:g} / {m:g}" for s, m in zip(table["auto_score"], table["auto_max_score"])]
    view = table.pivot(index="student", columns="assignment", values="points")
    print("\nAutograded points per student (manual parts wait for a grader in the formgrader):\n")
    print(view.to_string())
    print(f"\nThe demo course is in {workdir / 'course'}: graded notebooks in autograded/, gradebook in gradebook.db.")
    return 0
