"""Not as root, `course hub` is a single-account demo, and says so plainly when it starts.

The test runs the launcher under an ordinary account (the hub's own tests run as root) and
checks what that account sees: the warning at start and on the hub's pages, and a user's server
running as that same account.
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
import requests
from jupyterhub.spawner import set_user_setuid

from conftest import REPO, course_env, make_course, run
from course_lib.hub.runtime import user_runtime
from course_lib.hub.spawner import ensure_account

from .conftest import ARTIFACTS, UNIX_PREFIX, hub_env, shared_tmp


def chown_tree(path: Path, uid: int, gid: int) -> None:
    for folder, dirs, files in os.walk(path):
        os.chown(folder, uid, gid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, gid)


def test_not_as_root_it_is_a_single_account_demo_and_says_so():
    if os.geteuid() != 0:
        pytest.skip("the test starts the hub as an ordinary account, which needs root to arrange")
    base = shared_tmp("course-hub-demo-")
    account = ensure_account(UNIX_PREFIX + "owner")
    course = make_course(base / "course", ["lecture01"])
    run(["nbgrader", "generate_assignment", "lecture01", "--force"], course, course_env())
    runtime = user_runtime(base)  # an interpreter the account can run (the venv's may sit under /root)
    (base / "state").mkdir()
    for path in (base / "course", base / "state", Path(account.pw_dir)):
        chown_tree(path, account.pw_uid, account.pw_gid)
    env, port = hub_env(HOME=account.pw_dir, USER=account.pw_name, PATH=f"{runtime}:/usr/bin:/bin")
    log = ARTIFACTS / "single-account.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([str(runtime / "course"), "hub", "--state", str(base / "state"), "--port", str(port),
                             "--course-root", str(course)], cwd=REPO, env=env, stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=set_user_setuid(account.pw_name, chdir=False))
    try:
        deadline = time.monotonic() + 300
        while "Press Ctrl-C" not in log.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-4000:]
            time.sleep(0.5)
        output = log.read_text(errors="replace")
        assert "NOT ROOT: single-account demo" in output and "not isolated" in output
        assert "not running as root" in requests.get(f"http://127.0.0.1:{port}/hub/login", timeout=30).text
        state = base / "state"
        assert state.stat().st_uid == account.pw_uid
        token = (state / "hub" / "tokens" / "course-admin.token").read_text().strip()
        headers = {"Authorization": f"token {token}"}
        requests.post(f"http://127.0.0.1:{port}/hub/api/users/ada/server", headers=headers, timeout=60)
        for _ in range(180):
            model = requests.get(f"http://127.0.0.1:{port}/hub/api/users/ada", headers=headers, timeout=30).json()
            if model["servers"].get("", {}).get("ready"):
                break
            time.sleep(1)
        else:
            pytest.fail(f"ada's server did not start:\n{log.read_text(errors='replace')[-4000:]}")
        servers = [p for p in psutil.process_iter(["cmdline", "uids"])
                   if "jupyterhub-singleuser" in " ".join(p.info["cmdline"] or []) and (p.info["uids"].real == account.pw_uid)]
        assert servers, "ada's server runs as the hub's own account"
        assert (state / "homes" / "ada").is_dir()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(120)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(base, ignore_errors=True)
    assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
