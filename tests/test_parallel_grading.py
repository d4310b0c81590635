"""`course grade` at scale: parallel workers, resume after a kill, --regrade, and a dask cluster.

All runs grade the same 20 submissions of the tiny ``redteam`` assignment (right, wrong,
half right and blank), each in its own copy of one prepared course, and compare scores.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from conftest import BIN, course_env, run
from redteam.tiny import (ASSIGNMENT, journal, grades, make_tiny_course, reference, release, submit, with_cell,
                          wrong_answers)

SEED = "31337"
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox runs kernels as dedicated users (root)")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = make_tiny_course(tmp_path_factory.mktemp("template") / "course")
    ref, blank = reference(root), release(root)
    wrong = ref
    for gid, code in wrong_answers().items():
        wrong = with_cell(wrong, gid, code)
    half = with_cell(ref, "square_solution", wrong_answers()["square_solution"])
    kinds = [ref] * 8 + [wrong] * 5 + [half] * 4 + [blank] * 3
    for index, nb in enumerate(kinds):
        submit(root, f"s{index:02d}", nb)
    return root


def copy_course(template: Path, target: Path, students: list[str] | None = None) -> Path:
    shutil.copytree(template, target, symlinks=True)
    if students is not None:
        for folder in (target / "submitted").iterdir():
            if folder.name not in students:
                shutil.rmtree(folder)
    return target


def env() -> dict:
    return course_env(COURSE_GRADING_SEED=SEED)


@pytest.fixture(scope="module")
def uninterrupted(template, tmp_path_factory) -> dict:
    root = copy_course(template, tmp_path_factory.mktemp("plain") / "course")
    started = time.monotonic()
    run(["course", "grade", ASSIGNMENT, "--quiet"], root, env())
    return {"root": root, "scores": grades(root, env()), "seconds": time.monotonic() - started}


def test_parallel_run_grades_every_submission_once(uninterrupted):
    records = journal(uninterrupted["root"])
    assert sorted(r["student"] for r in records) == [f"s{i:02d}" for i in range(20)]
    assert all(r["success"] for r in records)
    assert len({r["worker"] for r in records}) == (os.cpu_count() if os.cpu_count() < 20 else 20)
    totals = {s: sum(v for k, v in cells.items() if k != "explain") for s, cells in uninterrupted["scores"].items()}
    assert [totals[f"s{i:02d}"] for i in range(20)] == [3.0] * 8 + [0.0] * 5 + [1.0] * 4 + [0.0] * 3


def test_killed_run_resumes_without_grading_anything_twice(template, uninterrupted, tmp_path):
    root = copy_course(template, tmp_path / "course")
    command = [str(BIN / "course"), "grade", ASSIGNMENT, "--quiet", "--jobs", "2"]
    first = subprocess.Popen(command, cwd=root, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    deadline = time.monotonic() + 600
    while len(journal(root)) < 6 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.2)
    assert first.poll() is None, "the first run finished before it could be killed"
    os.kill(first.pid, signal.SIGKILL)  # no chance to clean up
    first.wait()
    # workers and their sandboxes die with it (PR_SET_PDEATHSIG, bwrap --die-with-parent)
    left, deadline = None, time.monotonic() + 15
    while left != [] and time.monotonic() < deadline:
        time.sleep(0.5)
        left = [p.info for p in psutil.process_iter(["pid", "cmdline", "cwd"]) if str(root) in (p.info["cwd"] or "")]
    assert not left, f"processes of the killed run outlived it: {left}"
    before = journal(root)
    assert 6 <= len(before) < 20

    second = run(["course", "grade", ASSIGNMENT, "--quiet"], root, env())
    assert f"{len(before)} kept from an earlier run" in second.stdout
    records = journal(root)
    graded = [r["student"] for r in records if r["success"]]
    assert sorted(graded) == [f"s{i:02d}" for i in range(20)], "a submission was graded twice or not at all"
    runs = {r["run"] for r in records}
    assert len(runs) == 2
    assert not {r["student"] for r in before} & {r["student"] for r in records[len(before):]}
    assert grades(root, env()) == uninterrupted["scores"]

    again = run(["course", "grade", ASSIGNMENT, "--quiet"], root, env())
    assert "graded 20 of 20" in again.stdout and "20 kept from an earlier run" in again.stdout
    assert len(journal(root)) == 20


def test_regrade_after_a_grader_fix_keeps_manual_grades(template, uninterrupted, tmp_path):
    from nbgrader.api import Gradebook

    root = copy_course(template, tmp_path / "course")
    shutil.copytree(uninterrupted["root"] / "autograded", root / "autograded", dirs_exist_ok=True)
    shutil.copy(uninterrupted["root"] / "gradebook.db", root / "gradebook.db")
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url, "mlphys") as gb:
        explain = gb.find_grade("explain", ASSIGNMENT, ASSIGNMENT, "s00")
        explain.manual_score, explain.needs_manual_grade = 0.5, False
        override = gb.find_grade("square", ASSIGNMENT, ASSIGNMENT, "s13")  # half right: the instructor gives 1.5 of 2
        override.manual_score = 1.5
        comment = gb.find_comment("explain", ASSIGNMENT, ASSIGNMENT, "s00")
        comment.manual_comment = "good intuition"
        gb.db.commit()

    # A grader "fix": mean_of now only has to return one number, so the wrong answers (0.0) earn that point.
    graders = root / "grader_tests" / ASSIGNMENT / "test_redteam.py"
    graders.write_text(graders.read_text().replace("got.shape == () and np.allclose(got, values.mean())", "got.shape == ()"))
    result = run(["course", "grade", ASSIGNMENT, "--quiet", "--regrade"], root, env())
    assert "graded 20 of 20" in result.stdout and "kept" not in result.stdout
    assert len({r["run"] for r in journal(root)}) == 2  # the first run's records, then all 20 again

    with Gradebook(url, "mlphys") as gb:
        explain = gb.find_grade("explain", ASSIGNMENT, ASSIGNMENT, "s00")
        assert (explain.manual_score, explain.needs_manual_grade, explain.score) == (0.5, False, 0.5)
        override = gb.find_grade("square", ASSIGNMENT, ASSIGNMENT, "s13")
        assert (override.manual_score, override.auto_score, override.score) == (1.5, 0.0, 1.5)
        assert gb.find_comment("explain", ASSIGNMENT, ASSIGNMENT, "s00").manual_comment == "good intuition"
    scores = grades(root, env())
    assert scores["s00"]["explain"] == 0.5 and scores["s13"]["square"] == 1.5
    expected = {s: dict(c) for s, c in uninterrupted["scores"].items()}
    for student in (f"s{i:02d}" for i in range(8, 13)):
        expected[student]["mean"] = 1.0
    expected["s00"]["explain"], expected["s13"]["square"] = 0.5, 1.5
    assert scores == expected


@pytest.fixture
def dask_cluster(tmp_path):
    """A dask scheduler and two single-threaded workers, each a separate process on localhost."""
    scheduler_file = tmp_path / "scheduler.json"
    dask = str(BIN / "dask")
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(scheduler_file)], env=course_env(), cwd=tmp_path,
                              stdout=open(logs / "scheduler", "w"), stderr=subprocess.STDOUT)]
    deadline = time.monotonic() + 120
    while not scheduler_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    for index in range(2):
        procs.append(subprocess.Popen([dask, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                       "--no-dashboard", "--name", f"grader-{index}"], env=course_env(), cwd=tmp_path,
                                      stdout=open(logs / f"worker-{index}", "w"), stderr=subprocess.STDOUT))
    address = json.loads(scheduler_file.read_text())["address"]
    from distributed import Client

    with Client(address, timeout=60) as client:
        client.wait_for_workers(2, timeout=180)
    try:
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_dask_cluster_gives_the_same_scores_as_the_local_pool(template, uninterrupted, dask_cluster, tmp_path):
    students = [f"s{i:02d}" for i in (0, 1, 8, 9, 13, 14, 17, 18)]
    root = copy_course(template, tmp_path / "course", students)
    result = run(["course", "grade", ASSIGNMENT, "--quiet", "--scheduler", dask_cluster], root, env())
    assert "graded 8 of 8" in result.stdout, result.stderr[-2000:]
    assert "dask cluster" in result.stderr
    workers = {r["worker"] for r in journal(root)}
    assert len(workers) == 2 and not any(w.endswith(f":{os.getpid()}") for w in workers)
    assert grades(root, env()) == {s: uninterrupted["scores"][s] for s in students}
