"""Kernels forked one after another in one grading worker share nothing a submission can leave behind.

One worker (``--jobs 1``) grades a planter and then a victim, both forked from the same zygote.
The planter leaves files in /tmp and its work folder, a detached process that keeps writing,
and a changed global random state; it also tries the zygote's control pipe and the processes
of its namespace. The victim must find none of it, and both earn their points as usual.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import course_env, run
from redteam.tiny import ASSIGNMENT, auto_total, grades, make_tiny_course, reference, submit, with_cell

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="kernels are forked from a zygote only as root")

PLANTER = '''
import json, os, signal, stat, time
import numpy as np
report = {"random": float(np.random.rand())}
open("/tmp/planted", "w").write("left by the planter")
open("planted.txt", "w").write("left by the planter")
if os.fork() == 0:  # a daemon that outlives the kernel, if it can
    os.setsid()
    if os.fork() == 0:
        for _ in range(600):
            for path in ("/tmp/daemon-alive", "/home/student/work/daemon-alive"):
                try:
                    open(path, "w").write(str(time.time()))
                except OSError:
                    pass
            time.sleep(0.1)
    os._exit(0)
os.wait()
pipes = {}
for fd in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue
    if target.startswith("pipe:"):
        try:  # a forged answer on every pipe the kernel holds
            os.write(int(fd), b'{"exited": 0}\\n{"started": 1}\\n')
            pipes[fd] = "written"
        except OSError as exc:
            pipes[fd] = type(exc).__name__
report["pipes"] = pipes
signals = {}
for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
    try:  # every process here that is not its own (its own daemon must stay alive for the victim's check)
        if os.stat(f"/proc/{pid}").st_uid != os.getuid():
            os.kill(pid, signal.SIGKILL)
            signals[pid] = "killed"
    except OSError as exc:
        signals[pid] = type(exc).__name__
report["signals"] = signals
json.dump(report, open("planter-report.json", "w"))


def square(x):
    return x * x
'''

VICTIM = '''
import json, os, time
import numpy as np
time.sleep(0.5)
report = {
    "random": float(np.random.rand()),
    "tmp": sorted(os.listdir("/tmp")),
    "work": sorted(os.listdir(".")),
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "init": open("/proc/1/cmdline").read().replace(chr(0), " "),
}
json.dump(report, open("victim-report.json", "w"))


def square(x):
    return x * x
'''


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("shared-worker") / "course")
    submit(root, "a-planter", with_cell(reference(root), "square_solution", PLANTER))
    submit(root, "b-victim", with_cell(reference(root), "square_solution", VICTIM))
    result = run(["course", "grade", ASSIGNMENT, "--jobs", "1"], root, course_env(COURSE_GRADING_SEED="3"), check=False)
    reports = {name: json.loads((root / "autograded" / student / ASSIGNMENT / f"{name}-report.json").read_text())
               for name, student in (("planter", "a-planter"), ("victim", "b-victim"))}
    return {"root": root, "result": result, "reports": reports, "grades": grades(root)}


def test_both_are_graded_as_usual(graded):
    assert graded["result"].returncode == 0, graded["result"].stderr[-2000:]
    assert auto_total(graded["grades"]["a-planter"]) == auto_total(graded["grades"]["b-victim"]) == 3.0


def test_the_victim_finds_nothing_the_planter_left(graded):
    victim = graded["reports"]["victim"]
    assert "mlphys.zygote" in victim["init"], victim["init"]  # forked from the zygote the planter came from
    assert victim["tmp"] == ["home"], victim["tmp"]
    assert set(victim["work"]) <= {"redteam.ipynb", "timestamp.txt"}, victim["work"]
    assert len(victim["processes"]) < 10, victim["processes"]  # its own kernel only: the daemon died with the planter


def test_each_kernel_draws_its_own_random_numbers(graded):
    assert graded["reports"]["planter"]["random"] != graded["reports"]["victim"]["random"]


def test_no_forged_answer_reached_the_zygote_and_no_signal_left_the_namespace(graded):
    planter = graded["reports"]["planter"]
    assert planter["signals"] and set(planter["signals"].values()) <= {"PermissionError"}, planter["signals"]
    # whatever it wrote on its pipes, the victim was forked and graded normally (above), and the planter's
    # own outcome carries no note of a kernel that ended early
    notes = {r["student"]: r["note"] for r in map(json.loads, (graded["root"] / "autograded" / ".grading"
                                                               / f"{ASSIGNMENT}.jsonl").read_text().splitlines())}
    assert notes["a-planter"] == notes["b-victim"] == "", notes
