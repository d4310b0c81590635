"""The sandbox holds: run as a student submission, a probe cannot read the course, reach the network or write outside its copy."""

from __future__ import annotations

import json
import os
import pwd
import socket
import threading
from pathlib import Path

import pytest

from conftest import course_env, run
from course_lib.sandbox import Limits, LimitsError, Sandbox, SandboxUnavailable, load_limits
from course_lib.sandbox.files import copy_regular_files, tree_checksum
from redteam.tiny import ASSIGNMENT, make_tiny_course, reference, submit, with_cell

PROBE = '''
import json, os, socket
ROOT, PORT, PACKAGE, VENV = __ROOT__, __PORT__, __PACKAGE__, __VENV__
report = {}


def attempt(name, action):
    try:
        report[name] = ["allowed", repr(action())[:120]]
    except Exception as exc:
        report[name] = ["denied", type(exc).__name__]


def write(path):
    with open(path, "w") as handle:
        handle.write("probe")


attempt("read source/", lambda: open(ROOT + "/source/redteam/redteam.ipynb").read())
attempt("list source/", lambda: os.listdir(ROOT + "/source"))
attempt("read grader_tests/", lambda: open(ROOT + "/grader_tests/redteam/test_redteam.py").read())
attempt("read the gradebook", lambda: open(ROOT + "/gradebook.db", "rb").read(16))
attempt("read another submission", lambda: open(ROOT + "/submitted/other/redteam/redteam.ipynb").read())
attempt("list submitted/", lambda: os.listdir(ROOT + "/submitted"))
attempt("list autograded/", lambda: os.listdir(ROOT + "/autograded"))
attempt("read another submission by ../", lambda: open("../../other/redteam/redteam.ipynb").read())
attempt("read the secret seed", lambda: os.listdir(ROOT + "/.secrets"))
attempt("read /etc/shadow", lambda: open("/etc/shadow").read())
attempt("list the repository", lambda: [n for n in os.listdir(os.path.dirname(PACKAGE)) if n not in (".venv", "mlphys")])
attempt("import the trusted package", lambda: __import__("course_lib.grading.checks"))
attempt("connect to the grading host", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=3))
attempt("connect to the internet", lambda: socket.create_connection(("1.1.1.1", 80), timeout=3))
attempt("resolve a name", lambda: socket.getaddrinfo("example.com", 80))
attempt("write into the course", lambda: write(ROOT + "/probe.txt"))
attempt("write next to its copy", lambda: write("../probe.txt"))
attempt("write /etc", lambda: write("/etc/probe.txt"))
attempt("write /usr", lambda: write("/usr/probe.txt"))
attempt("write the venv", lambda: write(VENV + "/probe.txt"))
attempt("write mlphys", lambda: write(PACKAGE + "/probe.py"))
attempt("write its own copy", lambda: write("own-work.txt"))
attempt("write /tmp", lambda: write("/tmp/probe.txt"))
attempt("signal the namespace's init", lambda: os.kill(1, 9))
report["uid"] = os.getuid()
report["cwd"] = os.getcwd()
report["files"] = sorted(os.listdir("."))
report["capabilities"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd"))]
report["no_new_privs"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("NoNewPrivs")]
report["init"] = open("/proc/1/cmdline").read().replace(chr(0), " ")
report["processes"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
with open("sandbox-report.json", "w") as handle:
    json.dump(report, handle)


def square(x):
    return x * x
'''

DENIED = [
    "read source/", "list source/", "read grader_tests/", "read the gradebook", "read another submission", "list submitted/",
    "list autograded/", "read another submission by ../", "read the secret seed", "read /etc/shadow",
    "connect to the grading host", "connect to the internet", "resolve a name", "write into the course",
    "write next to its copy", "write /etc", "write /usr", "write the venv", "write mlphys", "signal the namespace's init",
]
# graded by `course grade`, by plain nbgrader, and by plain nbgrader with each kernel started on its own (no zygote)
PROBES = ["probe", "probe-nbgrader", "probe-direct"]

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the grading sandbox runs kernels as dedicated users (root)")


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    import mlphys
    import sys

    root = make_tiny_course(tmp_path_factory.mktemp("sandbox") / "course")
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
    code = (PROBE.replace("__ROOT__", repr(str(root))).replace("__PORT__", str(server.getsockname()[1]))
            .replace("__PACKAGE__", repr(str(Path(mlphys.__file__).parent))).replace("__VENV__", repr(sys.prefix)))
    probe = with_cell(reference(root), "square_solution", code)
    for student in PROBES:
        submit(root, student, probe)
    submit(root, "other", reference(root))
    env = course_env(COURSE_GRADING_SEED="5")
    run(["course", "grade", ASSIGNMENT, "--quiet"], root, env)
    # plain nbgrader with the course's configuration is sandboxed too
    run(["nbgrader", "autograde", ASSIGNMENT, "--student", "probe-nbgrader", "--force"], root, env)
    run(["nbgrader", "autograde", ASSIGNMENT, "--student", "probe-direct", "--force",
         "--HiddenGraderExecute.shared_imports=False"], root, env)
    server.close()
    reports = {s: json.loads((root / "autograded" / s / ASSIGNMENT / "sandbox-report.json").read_text()) for s in PROBES}
    return {"root": root, "reports": reports, "accepted": accepted}


@pytest.mark.parametrize("student", PROBES)
@pytest.mark.parametrize("action", DENIED)
def test_the_submission_cannot(probed, student, action):
    outcome = probed["reports"][student][action]
    assert outcome[0] == "denied", f"{student} could {action}: {outcome}"


@pytest.mark.parametrize("student", PROBES)
def test_it_runs_as_an_unprivileged_user_of_its_own_with_its_own_copy(probed, student):
    report = probed["reports"][student]
    assert report["write its own copy"][0] == "allowed" and report["write /tmp"][0] == "allowed"
    assert report["uid"] != 0 and pwd.getpwuid(report["uid"]).pw_name.startswith("course-sandbox-")
    assert report["cwd"] == "/home/student/work"
    assert report["list the repository"] == ["allowed", "[]"]  # only .venv and mlphys are there
    assert report["import the trusted package"][0] == "denied"
    assert set(report["files"]) <= {"redteam.ipynb", "own-work.txt", "timestamp.txt"}
    assert all(int(mask, 16) == 0 for mask in report["capabilities"]) and report["no_new_privs"] == ["1"]
    assert len(report["processes"]) < 10  # a PID namespace: no other process of the machine is visible


def test_kernels_are_forked_from_the_zygote_unless_switched_off(probed):
    reports = probed["reports"]
    assert "mlphys.zygote" in reports["probe"]["init"] and "mlphys.zygote" in reports["probe-nbgrader"]["init"]
    assert "bwrap" in reports["probe-direct"]["init"], reports["probe-direct"]["init"]


def test_no_connection_reached_the_host_and_nothing_was_written_outside(probed):
    assert probed["accepted"] == []
    assert not list(probed["root"].rglob("probe.txt")) and not list(probed["root"].rglob("probe.py"))
    assert not Path("/etc/probe.txt").exists() and not Path("/usr/probe.txt").exists()
    # what it wrote in its own copy comes back beside the graded notebook
    assert (probed["root"] / "autograded" / "probe" / ASSIGNMENT / "own-work.txt").read_text() == "probe"


def test_limits_files_are_checked(tmp_path):
    assert load_limits(tmp_path) == Limits()
    (tmp_path / "limits.toml").write_text("memory_mb = 6144\nwall_time = 60\n")
    assert load_limits(tmp_path).memory_mb == 6144 and load_limits(tmp_path).wall_time == 60
    (tmp_path / "limits.toml").write_text("memory_gb = 6\n")
    with pytest.raises(LimitsError, match="unknown limit 'memory_gb'"):
        load_limits(tmp_path)
    (tmp_path / "limits.toml").write_text("wall_time = 'long'\n")
    with pytest.raises(LimitsError, match="wall_time must be a positive number"):
        load_limits(tmp_path)


def test_a_course_inside_the_bound_folders_is_refused(tmp_path):
    import sys

    with Sandbox(Limits(), forbidden=[sys.prefix + "/secret-course"]) as box:
        with pytest.raises(SandboxUnavailable, match="would expose"):
            box.command(["true"])


def test_copying_a_submission_follows_no_link_and_skips_what_is_not_a_small_regular_file(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "sub").mkdir(parents=True)
    (src / "ok.txt").write_text("ok")
    (src / "sub" / "deep.txt").write_text("deep")
    (src / "big.bin").write_bytes(b"x" * 2048)
    os.symlink("/etc/passwd", src / "passwd")
    os.symlink(tmp_path, src / "loop")
    os.mkfifo(src / "fifo")
    report = copy_regular_files(src, dst, max_file_bytes=1024, max_total_bytes=10_000)
    assert sorted(report.copied) == ["ok.txt", "sub/deep.txt"]
    assert sorted(p.name for p in dst.rglob("*")) == ["deep.txt", "ok.txt", "sub"]
    assert len(report.skipped) == 4
    before = tree_checksum(src)
    (src / "ok.txt").write_text("changed")
    assert tree_checksum(src) != before


def test_a_folder_tree_thousands_deep_is_checksummed_and_copied_without_recursion(tmp_path):
    src = tmp_path / "deep"
    folder = src
    src.mkdir()
    for _ in range(1500):  # os.makedirs itself would recurse
        folder = folder / "d"
        folder.mkdir()
    (folder / "bottom.txt").write_text("x")
    (src / "top.txt").write_text("y")
    before = tree_checksum(src)
    (folder / "bottom.txt").write_text("z")
    assert tree_checksum(src) != before
    try:
        report = copy_regular_files(src, tmp_path / "copy", max_file_bytes=1024, max_total_bytes=10_000)
        assert report.copied == ["top.txt"]
        assert any("nested more than" in line for line in report.skipped)
    finally:  # bottom up: shutil.rmtree (and so pytest's own clean-up) recurses and would fail on this tree
        (folder / "bottom.txt").unlink()
        while folder != src:
            folder.rmdir()
            folder = folder.parent


def test_a_trusted_package_installed_in_the_venv_is_covered_inside(monkeypatch):
    """A non-editable install puts course_lib into the venv the sandbox binds: an empty folder covers it there."""
    import subprocess
    import sys

    from course_lib.sandbox import bwrap

    stand_in = Path(bwrap.package_folder("jupyter_client"))  # a package inside the venv, playing course_lib
    real = bwrap.package_folder
    monkeypatch.setattr(bwrap, "package_folder", lambda name: str(stand_in) if name == "course_lib" else real(name))
    code = ("import os, importlib.util\n"
            f"print(sorted(os.listdir({str(stand_in)!r})), importlib.util.find_spec('jupyter_client.session') is None)")
    with Sandbox(Limits()) as box:
        done = subprocess.run(box.command([sys.executable, "-c", code]), env=box.environment({"PATH": os.environ["PATH"]}),
                              capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["[]", "True"], done.stderr[-2000:]
