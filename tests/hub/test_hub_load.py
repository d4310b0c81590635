"""Acceptance 4: 30 students fetch and submit at the same time through the real hub and exchange, 3 rounds.

Each simulated student is a process running as their own Unix account with their own hub
token; requests go through the hub's public proxy to the exchange service, which asks the hub
who each token belongs to. Every submission must arrive exactly once, carry the platform's
receipt time (not the forged one the student sent), and hold that student's work for that
round; `nbgrader collect` then picks each student's latest.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from jupyterhub.spawner import set_user_setuid

from conftest import REPO, course_env, run
from course_lib.hub.spawner import ensure_account, role_config_path

from .conftest import ARTIFACTS, UNIX_PREFIX, fresh_accounts

STUDENTS, ROUNDS = 30, 3
DRIVER = Path(__file__).with_name("load_student.py")


@pytest.fixture(scope="module")
def load_run(hub):
    users = [f"load{i:02d}" for i in range(1, STUDENTS + 1)]
    fresh_accounts(users)
    python = hub.state / "runtime" / "bin" / "python3"
    python = python if python.exists() else Path(sys.executable)
    procs = {}
    for user in users:
        hub.ensure_user(user)
        account = ensure_account(UNIX_PREFIX + user)
        env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": account.pw_dir, "USER": account.pw_name,
               "JUPYTERHUB_API_TOKEN": hub.user_token(user), "COURSE_EXCHANGE_URL": hub.exchange_url}
        procs[user] = subprocess.Popen([str(python), str(DRIVER), user], cwd=account.pw_dir, env=env, text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       preexec_fn=set_user_setuid(account.pw_name))
    for user, proc in procs.items():
        line = proc.stdout.readline()
        assert json.loads(line or "{}").get("ready") == user, f"{user}'s driver did not start: {proc.stderr.read()[-2000:]}"

    rounds, results = [], []
    for round_no in range(1, ROUNDS + 1):
        started, wall = datetime.now().astimezone(), time.monotonic()
        for proc in procs.values():  # every student starts at once
            proc.stdin.write(f"{round_no}\n")
            proc.stdin.flush()
        answers = [json.loads(proc.stdout.readline() or '{"error": "no answer"}') for proc in procs.values()]
        rounds.append({"round": round_no, "started": started, "ended": datetime.now().astimezone(),
                       "seconds": time.monotonic() - wall})
        results += answers
    for proc in procs.values():
        proc.stdin.close()
        proc.wait(60)

    latencies = sorted(r["fetch_s"] + r["submit_s"] for r in results if "receipt" in r)
    summary = {"students": STUDENTS, "rounds": [{"round": r["round"], "wall_seconds": round(r["seconds"], 2)} for r in rounds],
               "submissions_ok": len(latencies), "errors": [r for r in results if "error" in r],
               "fetch+submit seconds p50": round(statistics.median(latencies), 3) if latencies else None,
               "fetch+submit seconds max": round(latencies[-1], 3) if latencies else None}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return {"users": users, "rounds": rounds, "results": results, "summary": summary}


def test_every_submission_was_received(load_run):
    assert load_run["summary"]["errors"] == []
    assert load_run["summary"]["submissions_ok"] == STUDENTS * ROUNDS


def test_each_arrived_exactly_once_with_its_own_work(load_run, hub):
    by_marker = {r["marker"]: r for r in load_run["results"]}
    for user in load_run["users"]:
        folder = hub.exchange_root / "mlphys" / "submissions" / user / "lecture01"
        stored = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        assert len(stored) == ROUNDS, f"{user}: {len(stored)} stored submissions"
        for round_no, submission in enumerate(stored, start=1):
            receipt = json.loads((submission / "receipt.json").read_text())
            notebook = (submission / "lecture01.ipynb").read_text()
            markers = [line for line in notebook.split('"') if line.startswith("load-marker")]
            assert len(markers) == 1, f"{submission}: {markers}"
            sent = by_marker[markers[0]]
            assert sent["student"] == user == receipt["student_id"] and sent["round"] == round_no
            assert sent["receipt"]["submission_id"] == submission.name


def test_every_submission_carries_the_platforms_receipt_time(load_run, hub):
    windows = {r["round"]: r for r in load_run["rounds"]}
    stamps = []
    for result in load_run["results"]:
        receipt = result["receipt"]
        stored = hub.exchange_root / "mlphys" / "submissions" / result["student"] / "lecture01" / receipt["submission_id"]
        assert (stored / "timestamp.txt").read_text() == receipt["timestamp"]
        received = datetime.fromisoformat(receipt["received_at"])
        window = windows[result["round"]]
        assert window["started"] <= received <= window["ended"], "receipt time outside the round: not the platform's clock"
        stamps.append(receipt["timestamp"])
    assert len(set(stamps)) == len(stamps), "two submissions share a receipt time"


def test_collect_takes_each_students_latest(load_run, hub):
    env = course_env(COURSE_EXCHANGE_URL=hub.exchange_url, COURSE_EXCHANGE_TOKEN=hub.token("formgrader"),
                     JUPYTER_CONFIG_PATH=role_config_path("formgrader"), COURSE_ID="mlphys")
    env.pop("JUPYTERHUB_API_TOKEN", None)
    run(["nbgrader", "collect", "lecture01", "--update"], hub.course, env)
    latest = {r["student"]: r for r in load_run["results"] if r["round"] == ROUNDS}
    for user in load_run["users"]:
        collected = hub.course / "submitted" / user / "lecture01"
        assert latest[user]["marker"] in (collected / "lecture01.ipynb").read_text()
        assert (collected / "timestamp.txt").read_text() == latest[user]["receipt"]["timestamp"]
