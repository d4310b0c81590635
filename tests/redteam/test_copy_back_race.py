"""Copy-back cannot be steered: a process that keeps swapping a folder for symlinks while the
grader copies the notebook's files back never gets a host file into the graded folder, and
static symlinks to /, /etc and the graders are skipped with a note.

The sandbox here runs a small Python program instead of a kernel; the copy-back is the one
`course grade` uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course_lib.sandbox import Limits, Sandbox

RACER = r"""
import os, signal, sys, time
os.makedirs("data/inner", exist_ok=True)
open("data/result.txt", "w").write("mine\n")
open("data/inner/more.txt", "w").write("mine\n")
targets = sys.argv[1:]
print("ready", flush=True)
sys.stdin.readline()  # the grader has opened the work folder: the student's code starts now
for _ in range(4):  # racers that leave their process group, ignore signals and fork on
    if os.fork() == 0:
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        break
index = 0
while True:
    for folder in ("data", "data/inner"):
        try:
            os.rename(folder, folder + ".real")
            os.symlink(targets[index % len(targets)], folder)
            os.unlink(folder)
            os.rename(folder + ".real", folder)
        except OSError:
            pass
        index += 1
"""


def _environment() -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def _run_racer(box: Sandbox, targets: list[str], race_seconds: float) -> None:
    proc = subprocess.Popen(box.command([sys.executable, "-c", RACER, *targets]), env=box.environment(_environment()),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    box.attach(proc.pid)
    assert proc.stdout.readline().strip() == "ready"
    box.seal()
    proc.stdin.write("go\n")
    proc.stdin.flush()
    time.sleep(race_seconds)
    return proc


def _host_secrets(course: Path) -> list[bytes]:
    found = []
    for path in (Path("/etc/passwd"), Path("/etc/hostname"), Path("/etc/os-release"), course / "grader_tests" / "test_hidden.py"):
        try:
            found.append(path.read_bytes())
        except OSError:
            pass
    return found


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    (root / "grader_tests").mkdir(parents=True)
    (root / "grader_tests" / "test_hidden.py").write_text("EXPECTED = 'the hidden answer'\n")
    return root


def test_a_racing_symlink_swap_never_brings_a_host_file_back(course, tmp_path):
    limits = Limits(memory_mb=512, processes=64, disk_mb=64, tmp_mb=64)
    secrets = _host_secrets(course)
    targets = ["/", "/etc", "/proc/self", "/proc/1/root", str(course / "grader_tests")]
    outcomes = []
    for attempt in range(20):
        dest = tmp_path / f"graded-{attempt}"
        dest.mkdir()
        with Sandbox(limits) as box:
            proc = _run_racer(box, targets, race_seconds=0.05 + 0.01 * attempt)
            report = box.copy_back(dest)
            proc.wait(timeout=10)
        files = [p for p in dest.rglob("*") if p.is_file() or p.is_symlink()]
        assert not any(p.is_symlink() for p in files), files
        for path in files:
            data = path.read_bytes()
            assert data == b"mine\n", (attempt, path, data[:200])
            assert all(data != secret for secret in secrets)
        assert len(files) <= 2, files
        outcomes.append((len(report.copied), len(report.skipped)))
    assert len(outcomes) == 20
    assert any(copied for copied, _ in outcomes), "the notebook's own files should come back at least sometimes"


def test_static_symlinks_to_the_host_are_skipped_and_named(course, tmp_path):
    code = (
        "import os\n"
        "os.makedirs('keep', exist_ok=True)\n"
        "open('keep/result.txt', 'w').write('mine\\n')\n"
        f"for name, target in {{'root': '/', 'etc': '/etc', 'graders': {str(course / 'grader_tests')!r}, "
        "'environ': '/proc/self/environ'}.items():\n"
        "    os.symlink(target, name)\n"
        "os.symlink('/etc/passwd', 'keep/passwd')\n"
        "os.mkfifo('keep/fifo')\n"
        "print('ready', flush=True)\n"
        "import time\n"
        "time.sleep(60)\n"
    )
    dest = tmp_path / "graded"
    dest.mkdir()
    with Sandbox(Limits(memory_mb=512, processes=64, disk_mb=64, tmp_mb=64)) as box:
        proc = subprocess.Popen(box.command([sys.executable, "-c", code]), env=box.environment(_environment()),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        box.attach(proc.pid)
        assert proc.stdout.readline().strip() == "ready"
        box.seal()
        report = box.copy_back(dest)
        proc.wait(timeout=10)
    assert sorted(str(p.relative_to(dest)) for p in dest.rglob("*")) == ["keep", "keep/result.txt"]
    skipped = "\n".join(report.skipped)
    for name in ("root", "etc", "graders", "environ", "keep/passwd"):
        assert f"{name}: a symbolic link (not followed)" in skipped, skipped
    assert "keep/fifo: not a regular file" in skipped


def test_every_process_of_the_sandbox_is_dead_before_the_copy(course, tmp_path):
    dest = tmp_path / "graded"
    dest.mkdir()
    with Sandbox(Limits(memory_mb=512, processes=64, disk_mb=64, tmp_mb=64)) as box:
        proc = _run_racer(box, ["/etc"], race_seconds=0.1)
        namespace = os.readlink(f"/proc/{box.init_pid()}/ns/pid")
        assert len(_live_in(namespace)) >= 5  # init, the racer and its four detached children
        box.copy_back(dest)
        alive = _live_in(namespace)
        proc.wait(timeout=10)
    assert alive == []


def _live_in(namespace: str) -> list[int]:
    """The processes (not zombies) whose PID namespace is ``namespace``."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/ns/pid") != namespace:
                continue
            with open(f"/proc/{pid}/stat") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(pid))
    return found
