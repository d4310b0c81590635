"""A challenge entry is scored in the course's sandbox: what code inside a scoring can reach.

Keras' safe_mode keeps an entry file from running code; these tests assume it failed and run
hostile code exactly where the scorer runs (`run_in_sandbox`, with the worker's limits and the
entry's files), while the leaderboard's database, its seed and token files and a listening
socket sit on the host, beside the venv and course_lib as in a course's ``.state/``.
"""

import json
import os
import shutil
import socket
import sys
import threading
import uuid
from pathlib import Path

import pytest

import course_lib
from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.scoring import run_in_sandbox, score_in_child
from course_lib.leaderboard.seeds import seed_info
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import ENTRY_FILES

from .test_leaderboard_worker import random_policy_entry  # noqa: F401 (a fixture)

REPO = Path(course_lib.__file__).resolve().parents[1]

HOSTILE = r"""
import json, os, socket, sys
job = json.loads(sys.stdin.read())
paths = json.loads(sys.argv[1])
found = {"job_seed": job["seed"], "work": sorted(os.listdir("."))}
for name, path in paths.items():
    try:
        with open(path, "rb") as handle:
            found[name] = "READ " + handle.read(64).hex()
    except OSError as error:
        found[name] = type(error).__name__
try:
    found["entries_listing"] = os.listdir(paths["entries"])
except OSError as error:
    found["entries_listing"] = type(error).__name__
for label, address in (("loopback_listener", ("127.0.0.1", int(sys.argv[2]))), ("internet", ("1.1.1.1", 53))):
    try:
        socket.create_connection(address, timeout=3).close()
        found[label] = "CONNECTED"
    except OSError as error:
        found[label] = type(error).__name__
found["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
found["uid"] = os.getuid()
print(json.dumps(found))
"""


@pytest.fixture
def state_beside_the_venv():
    """A leaderboard state folder where a course keeps it: in the repository, not under /tmp."""
    state = REPO / ".state" / f"scoring-sandbox-test-{uuid.uuid4().hex[:8]}"
    state.mkdir(parents=True)
    yield state
    shutil.rmtree(state, ignore_errors=True)


@pytest.fixture
def listener():
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    server.settimeout(0.2)

    def serve():
        while not stopped.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    stopped = threading.Event()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stopped.set()
    thread.join(2)
    server.close()


def test_code_inside_a_scoring_reaches_no_database_seed_token_or_network(state_beside_the_venv, listener, tmp_path):
    port, accepted = listener
    config = LeaderboardConfig.for_directory(state_beside_the_venv)
    store = Store(config)
    try:
        seeds = seed_info(store, "maze")
    finally:
        store.dispose()
    database = state_beside_the_venv / "leaderboard.sqlite"
    seed_file = state_beside_the_venv / "final-seed.txt"
    seed_file.write_text(str(seeds.final_seed))
    token = state_beside_the_venv / "leaderboard.token"
    token.write_text("hub-api-token")
    entry = tmp_path / "entry"
    entry.mkdir()
    (entry / "maze_policy.keras").write_bytes(b"not really a model")
    (entry / "stolen-notes.txt").write_text("not an entry file: stays outside")
    paths = {"database": str(database), "seed_file": str(seed_file), "token": str(token),
             "entries": str(config.entries_dir), "shadow": "/etc/shadow"}
    assert database.is_file() and database.stat().st_size > 0

    run = run_in_sandbox([sys.executable, "-c", HOSTILE, json.dumps(paths), str(port)], entry,
                         ENTRY_FILES["maze"], json.dumps({"seed": seeds.public_seed}).encode(),
                         config.limits_for("maze", 1))

    assert run.returncode == 0, run.stderr.decode()[-2000:]
    found = json.loads(run.stdout)
    assert found["job_seed"] == seeds.public_seed  # only what this run was given
    assert found["work"] == ["maze_policy.keras"]
    for name in ("database", "seed_file", "token", "shadow"):
        assert found[name] in ("FileNotFoundError", "PermissionError"), (name, found[name])
    assert found["entries_listing"] in ("FileNotFoundError", "PermissionError")
    assert found["loopback_listener"] != "CONNECTED" and found["internet"] != "CONNECTED"
    assert not accepted, "the host's listening socket was reached from inside the scoring"
    assert max(found["pids"]) < 10, f"processes outside the sandbox are visible: {found['pids']}"


def test_an_honest_entry_still_scores_in_the_sandbox(random_policy_entry):
    outcome = score_in_child("maze", random_policy_entry, seed=7, episodes=5)
    assert outcome.record["accepted"] is True, outcome.record.get("message")
    assert outcome.record["seed"] == 7 and outcome.record["episodes"] == 5


def test_the_course_example_autoencoder_scores_medium_in_the_sandbox(tmp_path):
    """As `course challenge score` scores it in-process (tests/challenges): MEDIUM, cost about 0.04."""
    from course_lib.challenges.reference_models import (
        EXAMPLE_AUTOENCODER_SETTINGS, build_course_example_autoencoder, write_autoencoder_entry,
    )

    entry = write_autoencoder_entry(tmp_path / "example", build_course_example_autoencoder(), EXAMPLE_AUTOENCODER_SETTINGS)
    outcome = score_in_child("autoencoder", entry, seed=2020, runs=1)
    record = outcome.record
    assert record["accepted"] is True, record.get("message")
    assert record["variants"] == ["MEDIUM"] and record["steps"] == 1000
    assert 0.015 < record["score"] < 0.08 and 0.015 < record["heldout_cost"] < 0.08


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/python3.11").exists(),
                    reason="needs root to run as another account, and Debian's python3.11")
def test_an_account_that_cannot_look_into_the_course_still_names_its_private_parts(tmp_path):
    """The hub's leaderboard account may not read the course (0700): scoring must not fail on it."""
    import subprocess
    import sys

    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("")
    os.chmod(course, 0o700)
    os.chmod(tmp_path, 0o755)
    site = next(p for p in sys.path if p.endswith("site-packages"))
    code = "from course_lib.leaderboard.scoring import _course_private_parts as p; print(p()[0])"
    done = subprocess.run(["runuser", "-u", "nobody", "--", "env", f"COURSE_ROOT={course}",
                           f"PYTHONPATH={REPO}:{site}", "/usr/bin/python3.11", "-c", code],
                          capture_output=True, text=True, timeout=120, cwd="/")
    assert done.stdout.strip() == str(course / "source"), done.stderr[-2000:]
