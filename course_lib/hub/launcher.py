"""`course hub` (what `make run` starts): the hub on http://127.0.0.1:8000 with the demo course.

The first start prepares, in the state folder (``.state/``):

- the demo course: a copy of this course's ``source/``, ``grader_tests/`` and ``policies/`` with its own
  gradebook, in ``.state/course/<course>/`` (private to the account running the hub);
- the demo accounts: one instructor and three students, with generated passwords
  (``.state/hub/demo-accounts.json``, mode 0600);

then starts JupyterHub with jupyterhub_config.py, releases lecture01 and lecture02 through the
course exchange, and prints the address and the accounts. Ctrl-C stops the hub, every server
and every service. The next start reuses all of it.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .hubconfig import hand_over, private_dir, secret_file
from .spawner import role_config_path

COURSE_FILES = ("nbgrader_config.py", "source", "grader_tests", "policies")
DEMO_INSTRUCTOR = "instructor"
DEMO_STUDENTS = ("ada", "ben", "cleo")
RELEASED = ("lecture01", "lecture02")


def log(message: str) -> None:
    print(f"[course hub] {message}", flush=True)


def prepare_course(repo: Path, course: Path, assignments: list[str], env: dict) -> None:
    """A copy of the course with every assignment generated (nbgrader's student version + gradebook)."""
    if (course / "nbgrader_config.py").is_file():
        return
    log(f"preparing the demo course in {course}")
    staging = course.with_name(course.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    private_dir(staging)
    for name in COURSE_FILES:
        (shutil.copytree if (repo / name).is_dir() else shutil.copy)(repo / name, staging / name)
    for assignment in assignments:
        run(["nbgrader", "generate_assignment", assignment, "--force"], staging, env)
    staging.rename(course)


def demo_accounts(path: Path) -> dict[str, str]:
    if path.is_file():
        return json.loads(path.read_text())
    accounts = {name: secrets.token_urlsafe(9) for name in (DEMO_INSTRUCTOR, *DEMO_STUDENTS)}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(accounts, fh, indent=1)
    return accounts


def run(cmd: list[str], cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    if not os.path.isabs(cmd[0]) and (bin_dir / cmd[0]).exists():
        cmd = [str(bin_dir / cmd[0]), *cmd[1:]]
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return result


def wait_for_hub(urls: list[str], hub: subprocess.Popen, timeout: float = 180, poll: float = 0.5) -> None:
    """Wait for each URL in turn (the hub's own API, then the public proxy) to answer its health check."""
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            if hub.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with code {hub.returncode} while starting (its log is above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not answer at {url} within {timeout:.0f} s")
            try:
                with urllib.request.urlopen(f"{url}/hub/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            time.sleep(poll)


def wait_for_service(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the course exchange did not answer at {url}")


def release(course: Path, assignments: list[str], env: dict) -> list[str]:
    """Release through the exchange (as the course's formgrader); already released ones are left alone."""
    done = []
    for assignment in assignments:
        result = run(["nbgrader", "release_assignment", assignment], course, env, check=False)
        if result.returncode == 0:
            done.append(f"{assignment} released")
        elif "already exists" in result.stderr:
            done.append(f"{assignment} (already released)")
        else:
            raise RuntimeError(f"releasing {assignment} failed:\n{result.stderr[-3000:]}")
    return done


def banner(url: str, accounts: dict[str, str], isolated: bool, state: Path, course: Path, released: list[str]) -> str:
    width = max(len(n) for n in accounts) + 2
    lines = [
        "",
        "=" * 72,
        f"  The course hub is running at {url}",
        "",
        "  Demo accounts (passwords are generated once and kept in",
        f"  {state / 'hub' / 'demo-accounts.json'}):",
    ]
    for name, password in accounts.items():
        role = "instructor" if name == DEMO_INSTRUCTOR else "student"
        lines.append(f"    {name:<{width}} {password:<14} ({role})")
    lines += ["", f"  Released: {', '.join(released)}", f"  Course folder: {course}", ""]
    if isolated:
        lines.append("  Running as root: every user's server runs as their own Unix account (mlp-<name>);")
        lines.append(f"  the formgrader and the grading worker as the course's account ({_owner(course)}).")
    else:
        lines += ["  NOT ROOT: single-account demo. Every user's server runs as this Unix account, so",
                  "  users are not isolated from each other or from the course. Run as root for a course."]
    lines += ["", "  Students sign up at /hub/signup; the instructor approves them at /hub/authorize.",
              "  Press Ctrl-C to stop the hub and every server.", "=" * 72, ""]
    return "\n".join(lines)


def _owner(path: Path) -> str:
    try:
        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (KeyError, OSError):
        return "?"


def _default_signals() -> None:
    """In the hub's process, before exec: the stop signals do what they normally do."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _stop_orphaned_proxy(hub_dir: Path) -> None:
    """A hub that failed while starting can leave its proxy behind; stop it (its pid file says which)."""
    pid_file = hub_dir / "jupyterhub-proxy.pid"
    try:
        pid = int(pid_file.read_text().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            if b"configurable-http-proxy" not in fh.read():
                return
        os.kill(pid, signal.SIGTERM)
        log(f"stopped the proxy the hub left behind (pid {pid})")
    except (OSError, ValueError):
        pass


def stop(hub: subprocess.Popen, hub_dir: Path | None = None) -> int:
    if hub.poll() is None:
        log("stopping the hub, its servers and services ...")
        hub.send_signal(signal.SIGINT)
        for sig, wait in ((None, 90), (signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            if sig is not None and hub.poll() is None:
                hub.send_signal(sig)
            try:
                hub.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
    if hub_dir is not None:
        _stop_orphaned_proxy(hub_dir)
    log(f"hub stopped (exit code {hub.returncode})")
    return 0 if hub.returncode in (0, -signal.SIGINT, 130) else hub.returncode


def main(argv: list[str] | None = None, repo: Path | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course hub", description="Start the course hub with the demo course.")
    parser.add_argument("--state", default=os.environ.get("COURSE_HUB_STATE"), help="state folder (default: .state/)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("COURSE_HUB_PORT", "8000")))
    parser.add_argument("--course-root", default=os.environ.get("COURSE_ROOT"),
                        help="serve this course instead of the demo copy (it is used as it is)")
    args = parser.parse_args(argv)

    repo = (repo or Path(__file__).resolve().parents[2]).resolve()
    state = Path(args.state or repo / ".state").resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o711)
    hub_dir = private_dir(state / "hub")
    course_id = os.environ.get("COURSE_ID", "mlphys")
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("JUPYTER_CONFIG_PATH", None)

    if args.course_root:
        course = Path(args.course_root).resolve()
    else:
        course = state / "course" / course_id
        private_dir(course.parent, mode=0o711)  # passable for the course's grader account on every start, not listable
        prepare_course(repo, course, [a for a in RELEASED if (repo / "source" / a).is_dir()], env)
    accounts = demo_accounts(hub_dir / "demo-accounts.json")
    url = f"http://127.0.0.1:{args.port}"
    hub_env = dict(env, COURSE_ROOT=str(course), COURSE_HUB_STATE=str(state), COURSE_HUB_PORT=str(args.port),
                   COURSE_DEMO_ACCOUNTS=str(hub_dir / "demo-accounts.json"), COURSE_ID=course_id,
                   COURSE_INSTRUCTORS=os.environ.get("COURSE_INSTRUCTORS", DEMO_INSTRUCTOR))
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop the hub even when we were started with them ignored (e.g. in the background).
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    log(f"starting JupyterHub ({'root: one Unix account per user' if os.geteuid() == 0 else 'not root: single-account demo'})")
    hub = subprocess.Popen([str(bin_dir / "jupyterhub"), "-f", str(repo / "jupyterhub_config.py")],
                           cwd=hub_dir, env=hub_env, stdin=subprocess.DEVNULL, start_new_session=True,
                           preexec_fn=_default_signals)
    try:
        # The hub adds its public routes once every service is up: wait for the hub's own API and the
        # exchange first, so that the proxy is asked (and logs a 404) as little as possible.
        wait_for_hub([f"http://127.0.0.1:{os.environ.get('COURSE_HUB_API_PORT', '8081')}"], hub)
        exchange = f"http://127.0.0.1:{int(os.environ.get('COURSE_SERVICE_PORT_BASE', '8100')) + 1}/services/exchange"
        wait_for_service(f"{exchange}/api/health")
        wait_for_hub([url], hub, poll=2.0)
        release_env = dict(hub_env, COURSE_EXCHANGE_URL=exchange, JUPYTER_CONFIG_PATH=role_config_path("formgrader"),
                           COURSE_EXCHANGE_TOKEN=secret_file(hub_dir / "tokens" / "formgrader.token"))
        release_env.pop("JUPYTERHUB_API_TOKEN", None)
        released = release(course, [a for a in RELEASED if (course / "release" / a).is_dir()], release_env)
        if os.geteuid() == 0 and course.stat().st_uid != 0:  # the hub handed the course to its grader account
            hand_over(course, pwd.getpwuid(course.stat().st_uid))  # and so is what the release wrote
        print(banner(url, accounts, os.geteuid() == 0, state, course, released), flush=True)
        hub.wait()
        log(f"the hub exited (code {hub.returncode})")
        _stop_orphaned_proxy(hub_dir)
        return hub.returncode or 0
    except KeyboardInterrupt:
        print(flush=True)
        return stop(hub, hub_dir)
    except Exception as exc:
        log(f"error: {exc}")
        stop(hub, hub_dir)
        return 1
