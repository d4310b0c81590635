"""The grading worker: collect new submissions, grade them, and give practice exams their feedback at once.

It is the instructor's pipeline on a timer, run next to the hub with the course folder:
``nbgrader collect --update`` through the course exchange (with the course service's token) when
the exchange lists a submission newer than the one collected,
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
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from course_lib.grading.assignment import GRADING_DIR
from course_lib.grading.journal import Journal
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


def _exchange_get(env: dict, path: str, **params) -> list[dict]:
    """One listing from the course exchange, as the course's formgrader service."""
    import requests

    response = requests.get(f"{env['COURSE_EXCHANGE_URL'].rstrip('/')}/api/{path}", params=params, timeout=60,
                            headers={"Authorization": f"token {env['COURSE_EXCHANGE_TOKEN']}"})
    response.raise_for_status()
    return response.json()


def released_assignments(env: dict, course: str) -> list[str]:
    """The course's released assignments, as the exchange lists them."""
    return sorted(a["assignment_id"] for a in _exchange_get(env, f"courses/{course}/assignments"))


def has_uncollected(env: dict, course: str, assignment: str, collected: dict[str, str]) -> bool:
    """Whether the exchange holds a submission newer than the one collected for its student.

    Asking is one request; `nbgrader collect` is a process of a second and more of CPU, which an idle
    course would otherwise pay every pass. When the exchange cannot be asked, the answer is yes.
    """
    try:
        latest: dict[str, str] = {}
        for receipt in _exchange_get(env, f"courses/{course}/submissions", assignment=assignment):
            student, stamp = str(receipt["student_id"]), str(receipt["timestamp"])
            latest[student] = max(latest.get(student, ""), stamp)
    except Exception as exc:  # noqa: BLE001 - collecting anyway is always correct
        log.warning("could not list the submissions of %s (%s): collecting anyway", assignment, exc)
        return True
    return any(collected.get(student) != stamp for student, stamp in latest.items())


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


MAX_ATTEMPTS = 3  # a submission whose grading crashed is tried this often, then reported to the instructor
ATTENTION_FILE = "needs-attention.json"


def _attempts_path(root: Path, assignment: str) -> Path:
    return root / GRADING_DIR / f"{assignment}.attempts.json"


def _load_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(value, indent=1, sort_keys=True))
    os.replace(partial, path)


def due_for_grading(root: Path, assignment: str, changed: list[str]) -> list[str]:
    """The students to grade now: new submissions, and earlier ones whose grading crashed (fewer than MAX_ATTEMPTS times)."""
    attempts = _load_json(_attempts_path(root, assignment))
    retry = [s for s, a in attempts.items() if isinstance(a, dict) and a.get("attempts", 0) < MAX_ATTEMPTS]
    return sorted(set(changed) | set(retry))


def record_attempts(root: Path, assignment: str, students: list[str], changed: list[str]) -> list[str]:
    """After a grading step: count crashed gradings, report those that keep crashing; return the reported students.

    A new submission starts its count afresh. The report (``autograded/.grading/needs-attention.json``)
    names assignment, student and the last error, so the instructor can look instead of the
    submission silently staying ungraded.
    """
    finished = Journal(root, assignment).finished()
    attempts = _load_json(_attempts_path(root, assignment))
    last_error = _last_errors(root, assignment)
    reported = []
    for student in students:
        if student in finished:
            attempts.pop(student, None)
            continue
        count = (0 if student in changed else attempts.get(student, {}).get("attempts", 0)) + 1
        attempts[student] = {"attempts": count, "message": last_error.get(student, "grading did not finish")}
        if count >= MAX_ATTEMPTS:
            reported.append(student)
    _write_json(_attempts_path(root, assignment), attempts)
    attention_path = root / GRADING_DIR / ATTENTION_FILE
    attention = _load_json(attention_path)
    for student in students:
        attention.pop(f"{assignment}/{student}", None)
    for student in reported:
        attention[f"{assignment}/{student}"] = {"assignment": assignment, "student": student, **attempts[student]}
        log.error("grading %s for %s failed %d times; reported in %s: %s", assignment, student,
                  attempts[student]["attempts"], attention_path, attempts[student]["message"])
    _write_json(attention_path, attention)
    return reported


def _last_errors(root: Path, assignment: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    path = Journal(root, assignment).path
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and not record.get("success"):
                errors[str(record.get("student"))] = str(record.get("message", ""))[:500]
    return errors


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
        if has_uncollected(env, course, assignment, before) and not run_step(
                ["nbgrader", "collect", assignment, "--update"], root, env, f"collecting {assignment}"):
            continue
        after = _timestamps(root, assignment)
        changed = sorted(s for s, t in after.items() if before.get(s) != t)
        due = due_for_grading(root, assignment, changed)
        if not due:
            continue
        log.info("grading %d submissions of %s: %s", len(due), assignment, ", ".join(due))
        run_step(["course", "grade", assignment, "--quiet"] + [a for s in due for a in ("--student", s)], root, env,
                 f"grading {assignment}")  # each student's outcome is in the journal, read next
        record_attempts(root, assignment, due, changed)
        graded += len(due)
        if policy.kind == "practice":
            release_feedback(root, env, assignment, [s for s in due if s in Journal(root, assignment).finished()])
    return graded


def wait_for_token(path: Path, timeout: float) -> str:
    """The token the hub writes when it starts (docker-compose starts the grader beside it): wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            token = path.read_text().strip()
        except FileNotFoundError:
            token = ""
        if token:
            return token
        if time.monotonic() > deadline:
            raise SystemExit(f"course hub worker: no token in {path} after {timeout:g} s: is the hub running?")
        log.info("waiting for the hub to write %s", path)
        time.sleep(2)


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
        env["COURSE_EXCHANGE_TOKEN"] = wait_for_token(Path(token_file), float(env.get("COURSE_TOKEN_WAIT_SECONDS", "600")))
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
