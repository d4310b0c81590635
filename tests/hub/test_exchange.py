"""The course exchange service and nbgrader's HTTP exchange, without a hub (tokens are stubbed).

The same rules are checked through a real hub in test_hub_isolation.py and test_hub_load.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
import requests

from conftest import REPO, course_env, make_course, run
from course_lib.authoring import reference_submission
from course_lib.hub.archive import pack_files
from course_lib.hub.exchange_service import Identity
from course_lib.hub.spawner import role_config_path

from .exchange_fixture import ExchangeServer

COURSE = "mlphys"
TOKENS = {
    "t-ada": Identity("ada", "user", frozenset({"nbgrader-mlphys"})),
    "t-ben": Identity("ben", "user", frozenset({"nbgrader-mlphys"})),
    "t-eve": Identity("eve", "user", frozenset({"nbgrader-othercourse"})),
    "t-teacher": Identity("teacher", "user", frozenset({"formgrade-mlphys"})),
    "t-formgrader": Identity("mlphys", "service"),
}
NOTEBOOK = json.dumps(nbformat.v4.new_notebook()).encode()


@pytest.fixture
def exchange(tmp_path):
    server = ExchangeServer(tmp_path / "storage", TOKENS)
    yield server
    server.stop()


def call(server, method, path, token=None, expect=None, **kwargs):
    headers = {"Authorization": f"token {token}"} if token else {}
    response = requests.request(method, f"{server.url}/api/{path}", headers=headers, timeout=30, **kwargs)
    if expect is not None:
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
    return response


def release(server, assignment="lecture01"):
    call(server, "PUT", f"courses/{COURSE}/assignments/{assignment}", "t-teacher", expect=200,
         data=pack_files({f"{assignment}.ipynb": NOTEBOOK}))


def submit(server, token, files, assignment="lecture01", expect=201):
    return call(server, "POST", f"courses/{COURSE}/assignments/{assignment}/submissions", token, expect=expect,
                data=pack_files(files)).json()


def test_only_instructors_release_and_only_course_members_see(exchange):
    call(exchange, "PUT", f"courses/{COURSE}/assignments/lecture01", "t-ada", expect=403, data=pack_files({"a.ipynb": NOTEBOOK}))
    call(exchange, "GET", f"courses/{COURSE}/assignments", None, expect=401)
    call(exchange, "GET", f"courses/{COURSE}/assignments", "not-a-token", expect=403)
    release(exchange)
    assert [a["assignment_id"] for a in call(exchange, "GET", f"courses/{COURSE}/assignments", "t-ada", expect=200).json()] == ["lecture01"]
    call(exchange, "GET", f"courses/{COURSE}/assignments", "t-eve", expect=403)
    call(exchange, "GET", f"courses/{COURSE}/assignments/lecture01", "t-eve", expect=403)
    submit(exchange, "t-eve", {"lecture01.ipynb": NOTEBOOK}, expect=403)


def test_the_platform_stamps_the_receipt_time_and_drops_forged_files(exchange):
    release(exchange)
    before = datetime.now(timezone.utc)
    receipt = submit(exchange, "t-ada", {"lecture01.ipynb": NOTEBOOK, "timestamp.txt": b"1999-01-01 00:00:00.000000 UTC",
                                         "submission_secret.txt": b"chosen-by-student", "receipt.json": b"{}"})
    after = datetime.now(timezone.utc)
    received = datetime.fromisoformat(receipt["received_at"])
    assert before <= received <= after
    assert receipt["student_id"] == "ada" and set(receipt["files"]) == {"lecture01.ipynb"}
    stored = exchange.root / COURSE / "submissions" / "ada" / "lecture01" / receipt["submission_id"]
    assert (stored / "timestamp.txt").read_text() == receipt["timestamp"]
    assert "1999" not in receipt["timestamp"]
    assert (stored / "submission_secret.txt").read_text() != "chosen-by-student"


def test_a_received_submission_never_changes_and_the_latest_counts(exchange):
    release(exchange)
    first = submit(exchange, "t-ada", {"lecture01.ipynb": b'{"v": 1}'})
    folder = exchange.root / COURSE / "submissions" / "ada" / "lecture01" / first["submission_id"]
    digest = hashlib.sha256((folder / "lecture01.ipynb").read_bytes()).hexdigest()
    path = f"courses/{COURSE}/submissions/ada/lecture01/{first['submission_id']}"
    for method in ("PUT", "POST", "PATCH", "DELETE"):
        call(exchange, method, path, "t-ada", expect=405, data=pack_files({"lecture01.ipynb": b"changed"}))
        call(exchange, method, path, "t-teacher", expect=405, data=pack_files({"lecture01.ipynb": b"changed"}))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o555
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o444 for p in folder.iterdir())
    second = submit(exchange, "t-ada", {"lecture01.ipynb": b'{"v": 2}'})
    assert second["submission_id"] > first["submission_id"] and second["timestamp"] > first["timestamp"]
    assert hashlib.sha256((folder / "lecture01.ipynb").read_bytes()).hexdigest() == digest
    listed = call(exchange, "GET", f"courses/{COURSE}/submissions", "t-teacher", expect=200, params={"student": "ada"}).json()
    assert [r["submission_id"] for r in listed] == [first["submission_id"], second["submission_id"]]


def test_students_cannot_list_read_or_change_each_others_submissions(exchange):
    release(exchange)
    ada = submit(exchange, "t-ada", {"lecture01.ipynb": b'{"secret": "ada"}'})
    submit(exchange, "t-ben", {"lecture01.ipynb": b'{"secret": "ben"}'})
    base = f"courses/{COURSE}"
    call(exchange, "GET", f"{base}/submissions", "t-ben", expect=403, params={"student": "ada"})
    mine = call(exchange, "GET", f"{base}/submissions", "t-ben", expect=200).json()
    assert {r["student_id"] for r in mine} == {"ben"}
    call(exchange, "GET", f"{base}/submissions/ada/lecture01/{ada['submission_id']}", "t-ben", expect=403)
    call(exchange, "GET", f"{base}/feedback/ada/lecture01", "t-ben", expect=403)
    call(exchange, "PUT", f"{base}/feedback/ada/lecture01", "t-ben", expect=403, params={"timestamp": ada["timestamp"]},
         data=pack_files({"lecture01.html": b"<p>100 points</p>"}))
    own = call(exchange, "GET", f"{base}/submissions/ada/lecture01/{ada['submission_id']}", "t-ada", expect=200)
    assert b"ada" in tarfile.open(fileobj=io.BytesIO(own.content)).extractfile("lecture01.ipynb").read()
    everyone = call(exchange, "GET", f"{base}/submissions", "t-teacher", expect=200).json()
    assert {r["student_id"] for r in everyone} == {"ada", "ben"}


@pytest.mark.parametrize("member", ["../escape.ipynb", "/etc/passwd", "a/../../b", "link"])
def test_unsafe_archives_are_refused(exchange, member):
    release(exchange)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo(member)
        if member == "link":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/shadow"
            tar.addfile(info)
        else:
            info.size = 2
            tar.addfile(info, io.BytesIO(b"{}"))
    response = call(exchange, "POST", f"courses/{COURSE}/assignments/lecture01/submissions", "t-ada", data=buffer.getvalue())
    assert response.status_code == 400, response.text
    assert not (exchange.root / COURSE / "submissions").exists() or not any((exchange.root / COURSE / "submissions").rglob("*.ipynb"))


@pytest.mark.slow
def test_nbgrader_commands_and_course_grade_work_through_the_exchange(exchange, tmp_path):
    """release -> fetch -> submit twice -> the worker collects the latest, runs `course grade` and, for a practice exam,
    releases the feedback at once; with the real CLI."""
    course = make_course(tmp_path / "course", ["lecture01"])
    common = dict(COURSE_EXCHANGE_URL=exchange.url, JUPYTER_CONFIG_PATH=role_config_path("formgrader"), COURSE_ID=COURSE)
    teacher = course_env(**common, COURSE_EXCHANGE_TOKEN="t-formgrader", COURSE_GRADING_SEED="7")
    teacher.pop("JUPYTERHUB_API_TOKEN", None)
    run(["nbgrader", "generate_assignment", "lecture01", "--force"], course, teacher)
    run(["nbgrader", "release_assignment", "lecture01"], course, teacher)
    again = run(["nbgrader", "release_assignment", "lecture01"], course, teacher, check=False)
    assert again.returncode != 0 and "already exists" in again.stderr

    homes = {}
    for student in ("ada", "ben"):
        home = tmp_path / student
        home.mkdir()
        env = course_env(**dict(common, HOME=str(home), JUPYTERHUB_API_TOKEN=f"t-{student}", JUPYTER_CONFIG_PATH=role_config_path("student")))
        if student == "ada":
            listed = run(["nbgrader", "list"], home, env)
            assert "mlphys lecture01" in listed.stdout + listed.stderr
        run(["nbgrader", "fetch_assignment", "lecture01"], home, env)
        homes[student] = (home, env)

    ada_home, ada_env = homes["ada"]
    fetched = ada_home / "lecture01" / "lecture01.ipynb"
    run(["nbgrader", "submit", "lecture01"], ada_home, ada_env)  # the untouched release first ...
    nbformat.write(reference_submission(course / "source" / "lecture01" / "lecture01.ipynb", fetched), fetched)
    run(["nbgrader", "submit", "lecture01"], ada_home, ada_env)  # ... then the worked one: it counts

    inbound = run(["nbgrader", "list", "--inbound"], course, teacher)
    assert (inbound.stdout + inbound.stderr).count("mlphys ada lecture01") == 2
    # the grading worker: `nbgrader collect --update` through the exchange, then `course grade` on what changed
    from course_lib.hub.worker import run_once

    assert run_once(course, teacher, kinds={"practice"}) == 0, "the local hub's worker leaves homework to the instructor"
    assert not (course / "submitted").exists()
    # as a practice exam, lecture01 is graded and its feedback released by the worker alone
    now = datetime.now(timezone.utc).replace(microsecond=0)
    (course / "policies").mkdir(exist_ok=True)
    (course / "policies" / "lecture01.toml").write_text(
        f'kind = "practice"\nopens = {(now - timedelta(hours=1)).isoformat()}\ncloses = {(now + timedelta(hours=1)).isoformat()}\n')
    assert run_once(course, teacher, kinds={"practice"}) == 1
    receipts = call(exchange, "GET", f"courses/{COURSE}/submissions", "t-teacher", params={"student": "ada"}).json()
    collected = course / "submitted" / "ada" / "lecture01"
    assert (collected / "timestamp.txt").read_text() == receipts[-1]["timestamp"]
    assert "BEGIN SOLUTION" not in (collected / "lecture01.ipynb").read_text()
    assert "np.cos(theta * x)" in (collected / "lecture01.ipynb").read_text()
    grades = json.loads(run(["course", "grades", "lecture01", "--format", "json"], course, teacher).stdout)
    assert sum(r["score"] for r in grades if r["student"] == "ada" and r["kind"] == "auto") == 11.0
    # the worker asks the exchange before it runs `nbgrader collect`: only a newer submission is collected
    from course_lib.hub.worker import has_uncollected

    stamp = (collected / "timestamp.txt").read_text()
    assert not has_uncollected(teacher, COURSE, "lecture01", {"ada": stamp})
    assert has_uncollected(teacher, COURSE, "lecture01", {"ada": "2000-01-01 00:00:00.000000 UTC"})
    assert has_uncollected(teacher, COURSE, "lecture01", {})
    assert has_uncollected(dict(teacher, COURSE_EXCHANGE_URL="http://127.0.0.1:9"), COURSE, "lecture01", {"ada": stamp})
    assert run_once(course, teacher) == 0, "nothing new: nothing graded again"

    run(["nbgrader", "fetch_feedback", "lecture01"], ada_home, ada_env)
    feedback = list((ada_home / "lecture01" / "feedback").rglob("lecture01.html"))
    assert len(feedback) == 1 and feedback[0].parent.name == receipts[-1]["timestamp"]
    assert "Score" in feedback[0].read_text()
    ben = run(["nbgrader", "fetch_feedback", "lecture01"], homes["ben"][0], homes["ben"][1], check=False)
    assert not list((homes["ben"][0] / "lecture01").rglob("*.html")), f"ben received feedback that is not his: {ben.stderr}"
    cached = run(["nbgrader", "list", "--cached"], ada_home, ada_env)
    assert "feedback already fetched" in cached.stdout + cached.stderr or receipts[-1]["timestamp"] in cached.stdout + cached.stderr
