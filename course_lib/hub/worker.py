"""The grading worker: collect new submissions, grade them, and give practice exams their feedback at once.

It is the instructor's pipeline on a timer, run next to the hub with the course folder:
``nbgrader collect --update`` through the course exchange (with the course service's token),
then ``course grade ASSIGNMENT --student ...`` for every submission that changed. For an
assignment whose policy says ``kind = "practice"`` it then runs ``nbgrader generate_feedback``
and ``release_feedback`` for those students, so a practice exam answers within a minute or two.
Grading itself (sandboxing included) is ``course grade``'s; this loop only decides what to grade.

docker-compose runs it as the ``grader`` service for every assignment; the local hub (`course hub`)
runs it as a hub service for practice exams only (``--kinds practice``), so the instructor's own
collect-and-grade of homework in the formgrader is never raced.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from course_lib.term.policy import PolicyError, load_policies, policy_of

log = logging.getLogger("course.worker")
BIN = Path(sys.executable).parent


class Stopped(Exception):
    """SIGTERM or SIGINT arrived (the hub stops its services so): end the current step and leave."""


def _stop(signum, frame):
    raise Stopped(signal.Signals(signum).name)


def run_step(cmd: list[str], root: Path, env: dict, what: str) -> bool:
    """Run one pipeline step in its own process group, so that stopping the worker stops all of it."""
    proc = subprocess.Popen([str(BIN / cmd[0]), *cmd[1:]], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate()
    except BaseException:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        raise
    if proc.returncode != 0:
        log.error("%s failed (exit %d): %s", what, proc.returncode, (err or out).strip()[-2000:])
    return proc.returncode == 0


def _timestamps(root: Path, assignment: str) -> dict[str, str]:
    found = {}
    for stamp in (root / "submitted").glob(f"*/{assignment}/timestamp.txt"):
        found[stamp.parent.parent.name] = stamp.read_text().strip()
    return found


def released_assignments(env: dict, course: str) -> list[str]:
    """The course's released assignments, as the exchange lists them."""
    import requests

    response = requests.get(f"{env['COURSE_EXCHANGE_URL'].rstrip('/')}/api/courses/{course}/assignments", timeout=60,
                            headers={"Authorization": f"token {env['COURSE_EXCHANGE_TOKEN']}"})
    response.raise_for_status()
    return sorted(a["assignment_id"] for a in response.json())


def release_feedback(root: Path, env: dict, assignment: str, students: list[str]) -> int:
    """Feedback for each graded student; one student's failure does not hold back the others."""
    released = 0
    for student in students:
        if run_step(["nbgrader", "generate_feedback", assignment, "--student", student, "--force"], root, env,
                    f"feedback for {student} on {assignment}") and \
                run_step(["nbgrader", "release_feedback", assignment, "--student", student], root, env,
                         f"releasing {student}'s feedback on {assignment}"):
            released += 1
    log.info("released feedback on %s to %d of %d students", assignment, released, len(students))
    return released


def run_once(root: Path, env: dict, course: str = "mlphys", kinds: set[str] | None = None) -> int:
    """One pass: collect what is new, grade it, release a practice exam's feedback; returns how many were graded.

    ``kinds`` limits the pass to assignments whose policy has one of these kinds (None: all). Challenges are
    never graded here: the leaderboard scores each entry when it arrives.
    """
    graded = 0
    try:
        policies = load_policies(root / "policies")
    except PolicyError as exc:
        log.error("the course's policies do not load, so nothing is graded until they do: %s", exc)
        return 0
    for assignment in released_assignments(env, course):
        policy = policy_of(policies, assignment)
        if policy.kind == "challenge" or (kinds is not None and policy.kind not in kinds):
            continue
        before = _timestamps(root, assignment)
        if not run_step(["nbgrader", "collect", assignment, "--update"], root, env, f"collecting {assignment}"):
            continue
        after = _timestamps(root, assignment)
        changed = sorted(s for s, t in after.items() if before.get(s) != t)
        if not changed:
            continue
        log.info("grading %d new submissions of %s: %s", len(changed), assignment, ", ".join(changed))
        run_step(["course", "grade", assignment, "--quiet"] + [a for s in changed for a in ("--student", s)], root, env,
                 f"grading {assignment}")  # a failed student is staged or flagged by `course grade` itself
        graded += len(changed)
        if policy.kind == "practice":
            release_feedback(root, env, assignment, changed)
    return graded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course hub worker", description=__doc__.split("\n")[0])
    parser.add_argument("--course-root", default=os.environ.get("COURSE_ROOT", "."))
    parser.add_argument("--interval", type=float, default=float(os.environ.get("COURSE_WORKER_INTERVAL", "60")),
                        help="seconds between passes (default 60)")
    parser.add_argument("--kinds", default=os.environ.get("COURSE_WORKER_KINDS", "all"),
                        help="grade only assignments of these policy kinds, comma-separated "
                             "(homework, exam, practice; default: all; challenges are the leaderboard's)")
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s course.worker] %(message)s")
    kinds = None if args.kinds.strip() == "all" else {k.strip() for k in args.kinds.split(",") if k.strip()}
    root = Path(args.course_root).resolve()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    token_file = env.get("COURSE_EXCHANGE_TOKEN_FILE")
    if token_file and not env.get("COURSE_EXCHANGE_TOKEN"):
        env["COURSE_EXCHANGE_TOKEN"] = Path(token_file).read_text().strip()
    from .spawner import role_config_path

    env.setdefault("JUPYTER_CONFIG_PATH", role_config_path("formgrader"))
    env.pop("JUPYTERHUB_API_TOKEN", None)  # act as the course's formgrader, not as whoever started us
    course = env.get("COURSE_ID", "mlphys")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("watching %s every %g s (%s)", root, args.interval, "all assignments" if kinds is None
             else "assignments of kind " + ", ".join(sorted(kinds)))
    try:
        while True:
            try:
                run_once(root, env, course, kinds)
            except Stopped:
                raise
            except Exception as exc:  # the exchange restarting, a full disk: say so and try again next pass
                log.error("this pass failed: %s", exc)
            if args.once:
                return 0
            time.sleep(args.interval)
    except Stopped as why:
        log.info("stopping (%s)", why)
        return 0


if __name__ == "__main__":
    sys.exit(main())
