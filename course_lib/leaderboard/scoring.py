"""Scoring one entry in the course's sandbox, the one student notebooks run in.

The parent (`score_in_child`) starts ``python -m mlphys.challenges.score_entry`` in a bubblewrap
sandbox (`course_lib.sandbox.Sandbox`): a sandbox account of its own (a user namespace when the
leaderboard does not run as root), no network, a read-only system with only the venv and
the sandbox-side package ``mlphys`` (the trusted ``course_lib`` is not visible), a private copy of the entry's files as its work folder, and the sandbox's rlimits
and memory watchdog. The leaderboard's database, entry store, seeds and tokens are not in it. The
job, secret seed included, goes in as JSON on stdin of this one run, so the seed appears on no
command line and in no file. The child calls the challenge scorers (`score_autoencoder_entry`,
`score_maze_entry`) and prints exactly one result record as JSON on stdout, as
``course challenge score ... --format json`` does.

Whatever happens to the child (timeout, memory exhaustion, a crash, garbage on stdout), the
parent returns a result record: a failed child becomes ``accepted: false`` with a message and a
`rejection_reason` of ``timeout`` or ``scorer_crashed``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from course_lib.course_dir import CourseNotFound, find_course_root, never_in_a_sandbox
from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.sandbox import Limits, Sandbox
from course_lib.sandbox.bwrap import WORK, allowed_environment
from mlphys.challenges.score_entry import failure_record

STDERR_TAIL = 4000
_running: set[subprocess.Popen] = set()  # children scoring right now (`stop_all_children`)


@dataclass
class ScoringOutcome:
    record: dict  # the result record, synthesised when the child gave none
    exit_status: int | None  # the child's exit status (negative: killed by that signal)
    stderr_tail: str
    timed_out: bool = False
    wall_time_s: float = 0.0


def score_in_child(
    challenge: str,
    entry_dir: str | Path,
    *,
    seed: int,
    episodes: int | None = None,
    runs: int | None = None,
    limits: Limits | None = None,
    python: str | None = None,
) -> ScoringOutcome:
    """Score the entry in `entry_dir` in a sandbox; never raises for a bad entry.

    `limits` are the sandbox's (`LeaderboardConfig.limits_for`); their ``wall_time`` is the timeout.
    Only the entry's own files (`ENTRY_FILES`) are copied in.
    """
    from course_lib.leaderboard.submissions import ENTRY_FILES

    limits = limits or LeaderboardConfig.for_directory("/nonexistent").limits_for(challenge, runs)
    timeout = limits.wall_time
    names = ENTRY_FILES.get(challenge, ())
    job = {"challenge": challenge, "entry_dir": WORK, "seed": int(seed), "episodes": episodes, "runs": runs}
    command = [python or sys.executable, "-m", "mlphys.challenges.score_entry"]
    run = run_in_sandbox(command, entry_dir, names, json.dumps(job).encode(), limits)
    stderr_tail = run.stderr.decode("utf-8", "replace")[-STDERR_TAIL:]
    record = None if run.timed_out or run.kill_reason else _parse_record(run.stdout)
    if record is None:
        record = _failure_record(challenge, seed, run.returncode, run.timed_out, timeout, limits, stderr_tail,
                                 run.wall_time_s, run.kill_reason)
    return ScoringOutcome(record, run.returncode, stderr_tail, run.timed_out, run.wall_time_s)


@dataclass
class SandboxRun:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    timed_out: bool
    kill_reason: str | None  # the sandbox's watchdog stopped it (memory, process count)
    wall_time_s: float


def run_in_sandbox(command: list[str], entry_dir: str | Path, names, stdin: bytes, limits: Limits) -> SandboxRun:
    """Run `command` in a sandbox whose work folder holds the files `names` of `entry_dir`, with
    `stdin` as its only input; stopped after ``limits.wall_time`` seconds."""
    started = time.monotonic()
    with Sandbox(limits, files_from=Path(entry_dir).resolve(), skip_files=lambda rel: rel not in names,
                 forbidden=_course_private_parts()) as sandbox:
        process = subprocess.Popen(
            sandbox.command(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=sandbox.environment(allowed_environment() | {"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}),
            start_new_session=True,  # its own process group, killed as a whole on timeout
        )
        sandbox.attach(process.pid)
        timed_out = False
        _running.add(process)
        try:
            stdout, stderr = process.communicate(stdin, timeout=limits.wall_time)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            stdout, stderr = process.communicate()
        finally:
            _running.discard(process)
        kill_reason = sandbox.kill_reason
    return SandboxRun(process.returncode, stdout, stderr, timed_out, kill_reason, time.monotonic() - started)


def _course_private_parts() -> list[str]:
    """The course's parts a sandbox must never expose (none when the leaderboard runs without a course).

    The hub names the course in $COURSE_ROOT: the leaderboard's account need not be able to look into it.
    """
    if os.environ.get("COURSE_ROOT"):
        return never_in_a_sandbox(Path(os.environ["COURSE_ROOT"]))
    try:
        return never_in_a_sandbox(find_course_root())
    except (CourseNotFound, OSError):
        return []


def stop_all_children() -> None:
    """Kill every scoring child of this process (the service is stopping)."""
    for process in list(_running):
        _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()


def _parse_record(stdout: bytes) -> dict | None:
    try:
        record = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict) or "accepted" not in record or "challenge" not in record:
        return None
    return record


def _failure_record(challenge, seed, returncode, timed_out, timeout, limits, stderr_tail, elapsed,
                    killed_because=None) -> dict:
    if timed_out:
        message, reason = (f"scoring took longer than the limit of {timeout:g} s and was stopped; "
                           "use a smaller or faster network", "timeout")
    elif killed_because:
        message, reason = f"the scoring was stopped because {killed_because}; use a smaller network", "resource_limit"
    else:
        message, reason = _crash_message(returncode, limits, stderr_tail), "scorer_crashed"
    record = failure_record(challenge, seed, message, reason)
    record.wall_time_s = elapsed
    return record.to_dict()


def _crash_message(returncode, limits: Limits, stderr_tail: str) -> str:
    memory_hint = (
        f"most likely the entry needs more memory than the limit of {limits.memory_mb:,} MiB"
    )
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
        if name == "SIGXCPU":
            return "the scoring process used up its CPU-time limit and was stopped; use a smaller or faster network"
        if name in ("SIGABRT", "SIGKILL", "SIGSEGV", "SIGBUS"):
            return f"the scoring process was killed by {name}; {memory_hint}"
        return f"the scoring process was killed by {name}"
    if "bad_alloc" in stderr_tail or "MemoryError" in stderr_tail:
        return f"the scoring process ran out of memory; {memory_hint}"
    return f"the scoring process ended (exit status {returncode}) without a result; the course staff has to look into it"
