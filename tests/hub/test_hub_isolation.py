"""Acceptance 3: as root in local mode, a student's own server process cannot reach what is not theirs.

Everything below runs *inside* ben's single-user server: a kernel of his server, started through
the hub like any notebook he opens, with his server's own hub token. It tries to read the
course's source/, grader_tests/ and gradebook (of the hub's course and of the repository),
another student's home and submissions, the exchange's storage and the hub's secrets, and to
change a submission after the exchange received it.
"""

from __future__ import annotations

import hashlib
import json
import pwd
import textwrap

import psutil
import pytest

from conftest import REPO
from course_lib.hub.archive import pack_files

from .conftest import UNIX_PREFIX, run_in_kernel, unix_home

PROBE = r'''
import io, json, os, tarfile, urllib.error, urllib.request
results = {}

def attempt(name, action):
    try:
        action()
        results[name] = "ALLOWED"
    except PermissionError:
        results[name] = "denied"
    except FileNotFoundError:
        results[name] = "not found"
    except urllib.error.HTTPError as exc:
        results[name] = f"http {exc.code}"

def read(path):
    with open(path, "rb") as fh:
        fh.read(1)

def write(path):
    with open(path, "ab") as fh:
        fh.write(b"x")

token, exchange = os.environ["JUPYTERHUB_API_TOKEN"], os.environ["COURSE_EXCHANGE_URL"]

def http(method, path, data=None):
    request = urllib.request.Request(f"{exchange}/api/{path}", data=data, method=method,
                                     headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")

def tar(files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name); info.size = len(data); archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()

P = json.loads(PATHS)
results["uid"] = os.getuid(); results["gids"] = sorted(os.getgroups()); results["home"] = os.path.expanduser("~")
for name in ("course source", "course grader_tests", "course gradebook", "repo source", "repo grader_tests", "repo git history",
             "other home", "exchange storage", "hub state", "hub admin token", "other's stored submission"):
    path = P[name]
    attempt("list " + name, lambda: os.listdir(path) if os.path.isdir(path) else read(path))
attempt("read course notebook", lambda: read(P["course notebook"]))
attempt("read repo notebook", lambda: read(P["repo notebook"]))
attempt("read other's homework", lambda: read(P["other's homework"]))
attempt("read formgrader environment", lambda: read(f"/proc/{P['formgrader pid']}/environ"))
attempt("write other home", lambda: write(os.path.join(P["other home"], "planted.txt")))

# through the exchange, with this server's own hub token
me = http("GET", "whoami")
results["whoami"] = [me["name"], me["courses"]]
attempt("exchange: list cleo's submissions", lambda: http("GET", "courses/mlphys/submissions?student=cleo"))
attempt("exchange: download cleo's submission", lambda: http("GET", f"courses/mlphys/submissions/cleo/lecture01/{P['cleo submission']}"))
attempt("exchange: read cleo's feedback", lambda: http("GET", "courses/mlphys/feedback/cleo/lecture01"))
attempt("exchange: release an assignment", lambda: http("PUT", "courses/mlphys/assignments/lecture01", tar({"lecture01.ipynb": b"{}"})))
first = http("POST", "courses/mlphys/assignments/lecture01/submissions",
             tar({"lecture01.ipynb": b'{"round": 1}', "timestamp.txt": b"2000-01-01 00:00:00.000000 UTC"}))
results["first"] = first
own = f"courses/mlphys/submissions/{me['name']}/lecture01/{first['submission_id']}"
for method in ("PUT", "POST", "PATCH", "DELETE"):
    attempt(f"exchange: {method} own received submission", lambda: http(method, own, tar({"lecture01.ipynb": b'{"changed": 1}'})))
attempt("exchange: give myself feedback", lambda: http("PUT", f"courses/mlphys/feedback/{me['name']}/lecture01?timestamp={first['timestamp'].replace(' ', '%20')}",
                                                      tar({"lecture01.html": b"<p>16 / 16</p>"})))
attempt("write own stored submission", lambda: write(os.path.join(P["exchange storage"], "mlphys", "submissions", me["name"], "lecture01",
                                                                 first["submission_id"], "lecture01.ipynb")))
results["second"] = http("POST", "courses/mlphys/assignments/lecture01/submissions", tar({"lecture01.ipynb": b'{"round": 2}'}))
results["mine"] = [r["submission_id"] for r in http("GET", "courses/mlphys/submissions")]
print(json.dumps(results))
'''


@pytest.fixture(scope="module")
def probe(hub):
    for user in ("ben", "cleo"):
        hub.start_server(user)
    cleo_token = hub.user_token("cleo")
    # cleo has homework in her home and a submission in the exchange
    from .conftest import run_in_kernel as kernel
    kernel(hub, "cleo", cleo_token, "import os; os.makedirs('lecture01', exist_ok=True); open('lecture01/lecture01.ipynb', 'w').write('{\"cleo\": 1}')")
    import requests

    cleo_receipt = requests.post(f"{hub.exchange_url}/api/courses/mlphys/assignments/lecture01/submissions",
                                 headers={"Authorization": f"token {cleo_token}"}, timeout=60,
                                 data=pack_files({"lecture01.ipynb": b'{"cleo": "secret answer"}'})).json()
    cleo_stored = hub.exchange_root / "mlphys" / "submissions" / "cleo" / "lecture01" / cleo_receipt["submission_id"]
    formgrader = next(p for p in psutil.process_iter(["cmdline"])
                      if any(f"--ServerApp.root_dir={hub.course}" in part for part in (p.info["cmdline"] or [])))
    paths = {
        "course source": str(hub.course / "source"), "course grader_tests": str(hub.course / "grader_tests"),
        "course gradebook": str(hub.course / "gradebook.db"),
        "course notebook": str(hub.course / "source" / "lecture01" / "lecture01.ipynb"),
        "repo source": str(REPO / "source"), "repo grader_tests": str(REPO / "grader_tests"), "repo git history": str(REPO / ".git"),
        "repo notebook": str(REPO / "source" / "lecture01" / "lecture01.ipynb"),
        "other home": str(unix_home("cleo")), "other's homework": str(unix_home("cleo") / "lecture01" / "lecture01.ipynb"),
        "exchange storage": str(hub.exchange_root), "hub state": str(hub.state / "hub"),
        "hub admin token": str(hub.state / "hub" / "tokens" / "course-admin.token"),
        "other's stored submission": str(cleo_stored / "lecture01.ipynb"),
        "formgrader pid": formgrader.pid, "cleo submission": cleo_receipt["submission_id"],
    }
    code = f"PATHS = {json.dumps(json.dumps(paths))}\n" + textwrap.dedent(PROBE)
    out = run_in_kernel(hub, "ben", hub.user_token("ben"), code)
    results = json.loads(out.strip().splitlines()[-1])
    results["_cleo_stored"] = str(cleo_stored)
    return results


def test_the_server_runs_as_the_students_own_account(probe):
    ben = pwd.getpwnam(UNIX_PREFIX + "ben")
    assert probe["uid"] == ben.pw_uid != 0
    assert 0 not in probe["gids"]
    assert probe["home"] == ben.pw_dir and oct(unix_home("ben").stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize("what", ["course source", "course grader_tests", "course gradebook", "course notebook",
                                  "repo source", "repo grader_tests", "repo git history", "repo notebook"])
def test_no_course_secrets(probe, what):
    key = what if what.endswith("notebook") else f"list {what}"
    key = f"read {what}" if what.endswith("notebook") else key
    assert probe[key] == "denied", f"{what}: {probe[key]}"


@pytest.mark.parametrize("what", ["list other home", "read other's homework", "write other home", "list exchange storage",
                                  "list other's stored submission", "list hub state", "list hub admin token",
                                  "read formgrader environment"])
def test_nothing_of_other_students_or_the_platform(probe, what):
    assert probe[what] == "denied", f"{what}: {probe[what]}"


def test_the_exchange_shows_a_student_only_their_own(probe):
    assert probe["whoami"] == ["ben", {"mlphys": "student"}]
    assert probe["exchange: list cleo's submissions"] == "http 403"
    assert probe["exchange: download cleo's submission"] == "http 403"
    assert probe["exchange: read cleo's feedback"] == "http 403"
    assert probe["exchange: release an assignment"] == "http 403"
    assert probe["exchange: give myself feedback"] == "http 403"
    assert probe["mine"] == [probe["first"]["submission_id"], probe["second"]["submission_id"]]


def test_a_received_submission_cannot_be_changed(probe, hub):
    for method in ("PUT", "POST", "PATCH", "DELETE"):
        assert probe[f"exchange: {method} own received submission"] == "http 405"
    assert probe["write own stored submission"] == "denied"
    stored = hub.exchange_root / "mlphys" / "submissions" / "ben" / "lecture01" / probe["first"]["submission_id"]
    assert (stored / "lecture01.ipynb").read_bytes() == b'{"round": 1}'
    assert hashlib.sha256((stored / "lecture01.ipynb").read_bytes()).hexdigest() == probe["first"]["files"]["lecture01.ipynb"]
    assert (stored / "timestamp.txt").read_text() == probe["first"]["timestamp"] and not probe["first"]["timestamp"].startswith("2000")
    assert probe["second"]["timestamp"] > probe["first"]["timestamp"]
    owner = pwd.getpwuid(stored.stat().st_uid).pw_name
    assert owner == "course-exchange" and oct(stored.stat().st_mode & 0o777) == "0o555"
