"""A real course hub for the hub tests, started as the README says: `make run` (as root).

One hub serves the browser, isolation and load tests of this package. It uses its own state folder
(COURSE_HUB_STATE) and, when they are free, the default ports (http://127.0.0.1:8000); otherwise
free ones. test_hub_restart.py stops it with Ctrl-C and starts it again; the end of the package
stops it with Ctrl-C, and both stops must be clean.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from .kernels import run_in_kernel  # noqa: F401  (hub tests import it from here)

from conftest import BIN, REPO, course_env

ARTIFACTS = REPO / "test-artifacts" / "hub"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_block(size: int) -> int:
    """A port p such that p .. p+size-1 are all free."""
    for _ in range(200):
        base = free_port()
        if base + size >= 65535:
            continue
        socks = []
        try:
            for port in range(base, base + size):
                sock = socket.socket()
                sock.bind(("127.0.0.1", port))
                socks.append(sock)
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free block of ports")


def shared_tmp(prefix: str) -> Path:
    """A scratch folder other accounts can traverse (pytest's own tmp root is private to root and is
    reset to 0700 by every pytest session on the machine), removed by the caller."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


class Hub:
    def __init__(self, state: Path, port: int, env: dict, log: Path):
        self.state, self.port, self.env, self.log = state, port, env, log
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    # --- life cycle ---
    def start(self, timeout: float = 300) -> str:
        """`make run`, as the README says; returns what it printed up to the banner."""
        self.log_handle = open(self.log, "ab")
        offset = self.log.stat().st_size
        self.proc = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=REPO, env=self.env,
                                     stdout=self.log_handle, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_bytes()[offset:].decode(errors="replace")
            if "The course hub is running" in text and "Press Ctrl-C" in text:
                return text
            if self.proc.poll() is not None:
                raise AssertionError(f"course hub exited with {self.proc.returncode}:\n{text[-5000:]}")
            time.sleep(0.5)
        raise AssertionError(f"the hub did not come up in {timeout} s:\n{self.log.read_text(errors='replace')[-5000:]}")

    def stop(self, timeout: float = 150) -> int:
        """Ctrl-C, as a terminal sends it to the foreground process group; returns make's exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.log_handle.close()

    # --- facts and helpers ---
    @property
    def accounts(self) -> dict[str, str]:
        return json.loads((self.state / "hub" / "demo-accounts.json").read_text())

    def token(self, name: str) -> str:
        return (self.state / "hub" / "tokens" / f"{name}.token").read_text().strip()

    @property
    def course(self) -> Path:
        return self.state / "course" / "mlphys"

    @property
    def exchange_root(self) -> Path:
        return self.state / "exchange"

    @property
    def exchange_url(self) -> str:
        return f"{self.url}/services/exchange"

    def api(self, method: str, path: str, token: str | None = None, expect=(200, 201, 202, 204), **kwargs):
        token = token or self.token("course-admin")
        response = requests.request(method, f"{self.url}/hub/api/{path.lstrip('/')}",
                                    headers={"Authorization": f"token {token}"}, timeout=60, **kwargs)
        if expect and response.status_code not in expect:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
        return response

    def user_token(self, user: str) -> str:
        return self.api("POST", f"users/{user}/tokens", json={"note": "hub tests", "expires_in": 3600}).json()["token"]

    def ensure_user(self, user: str, group: str = "nbgrader-mlphys") -> None:
        if self.api("GET", f"users/{user}", expect=None).status_code == 404:
            self.api("POST", f"users/{user}")
        self.api("POST", f"groups/{group}/users", json={"users": [user]})

    def start_server(self, user: str, timeout: float = 180) -> dict:
        self.api("POST", f"users/{user}/server", expect=(201, 202, 400))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"users/{user}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return server
            time.sleep(1)
        raise AssertionError(f"{user}'s server did not become ready:\n{self.log.read_text(errors='replace')[-4000:]}")

    def login(self, user: str, password: str | None = None) -> requests.Session:
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        response = session.post(f"{self.url}/hub/login", timeout=120,
                                data={"username": user, "password": password or self.accounts[user],
                                      "_xsrf": session.cookies.get("_xsrf", "")})
        response.raise_for_status()
        session.response = response  # the page the login ended on
        return session


# Test hubs run their users as mlp-hubtest-<name>, never touching the accounts of a `make run` on the machine.
UNIX_PREFIX = "mlp-hubtest-"


def unix_home(user: str) -> Path:
    import pwd

    return Path(pwd.getpwnam(UNIX_PREFIX + user).pw_dir)


def fresh_accounts(users) -> None:
    """Empty the homes of test accounts left by an earlier run (the spawner recreates them)."""
    import pwd

    for user in users:
        try:
            home = Path(pwd.getpwnam(UNIX_PREFIX + user).pw_dir)
        except KeyError:
            continue
        if home.is_dir() and home.name == UNIX_PREFIX + user:
            shutil.rmtree(home)


DEFAULT_PORTS = {"COURSE_HUB_PORT": 8000, "COURSE_PROXY_API_PORT": 8001, "COURSE_HUB_API_PORT": 8081}


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is no obstacle
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def hub_env(**extra: str) -> tuple[dict, int]:
    """The environment for a test hub: the README's ports when all are free, other free ones otherwise."""
    if all(map(port_is_free, [*DEFAULT_PORTS.values(), 8101, 8102, 8103])):
        ports = {name: str(port) for name, port in DEFAULT_PORTS.items()} | {"COURSE_SERVICE_PORT_BASE": "8100"}
    else:
        ports = {"COURSE_HUB_PORT": str(free_port()), "COURSE_PROXY_API_PORT": str(free_port()),
                 "COURSE_HUB_API_PORT": str(free_port()), "COURSE_SERVICE_PORT_BASE": str(free_block(4) - 1)}
    env = course_env()
    for name in list(env):  # nothing of the caller's own hub or course leaks in
        if name.startswith(("COURSE_", "JUPYTERHUB_")) or name in ("JUPYTER_CONFIG_PATH", "MAKEFLAGS", "MAKELEVEL"):
            env.pop(name)
    env.update(COURSE_UNIX_PREFIX=UNIX_PREFIX, **ports, **extra)
    return env, int(ports["COURSE_HUB_PORT"])


@pytest.fixture(scope="package")  # stopped when the hub tests are done, before the rest of the suite
def hub(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("the hub's local mode with real accounts needs root (CI runs as root)")
    base = shared_tmp("course-hub-test-")
    fresh_accounts(["instructor", "ada", "ben", "cleo"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Challenge scoring kept cheap for CI through the instructor's settings: one training run, 100
    # episodes, and no reference rows (scoring them, the LONG autoencoder most, is 3 CPU-minutes that
    # no hub test looks at; tests/leaderboard scores and ranks them).
    env, port = hub_env(COURSE_HUB_STATE=str(base / "state"), COURSE_LEADERBOARD_AE_RUNS="1",
                        COURSE_LEADERBOARD_MAZE_EPISODES="100", COURSE_LEADERBOARD_REFERENCE_ROWS="0",
                        COURSE_WORKER_INTERVAL="5",
                        COURSE_EXCHANGE_SWEEP_SECONDS="2")  # deleted accounts' work archived within seconds
    hub = Hub(base / "state", port, env, ARTIFACTS / "hub.log")
    hub.log.write_bytes(b"")
    started = time.monotonic()
    hub.first_output = hub.start()
    hub.startup_seconds = time.monotonic() - started
    yield hub
    hub.stop()
    deadline = time.monotonic() + 15  # a server's last processes may still be exiting
    while (leftovers := hub_processes(hub)) and time.monotonic() < deadline:
        time.sleep(1)
    shutil.rmtree(base, ignore_errors=True)
    remove_test_accounts()
    assert not leftovers, f"processes left after Ctrl-C: {leftovers}"


def remove_test_accounts() -> None:
    """The test hub's Unix accounts and their homes go with it."""
    import pwd

    for account in pwd.getpwall():
        if account.pw_name.startswith(UNIX_PREFIX):
            subprocess.run(["userdel", "--remove", account.pw_name], capture_output=True)


def hub_processes(hub: Hub) -> list[str]:
    """Processes that belong to this test hub (by its state folder or its users' accounts)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "username", "status"]):
        if proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue  # exited; only its parent has not collected it yet
        cmdline = " ".join(proc.info["cmdline"] or [])
        if str(hub.state) in cmdline or (proc.info["username"] or "").startswith(UNIX_PREFIX):
            found.append(f"{proc.info['pid']} {proc.info['username']} {cmdline[:150]}")
    return found


def chromium_or_skip():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (`make test` installs it as root)")


@pytest.fixture(scope="module")
def browser():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


