"""Scoring one entry in a resource-limited child process.

The parent (`score_in_child`) starts ``python -m course_lib.leaderboard.scoring`` in a new
session under `prlimit` (address space, CPU time, open files, file size, no core dumps), with a
scrubbed environment (no hub token, no database password) and a wall-clock timeout, and hands it
the job as JSON on stdin, so the secret seed never appears on a command line where `ps` shows it.
The child calls the challenge scorers (`score_autoencoder_entry`, `score_maze_entry`) and prints
exactly one result record as JSON on stdout, as ``course challenge score ... --format json`` does.

Whatever happens to the child (timeout, memory exhaustion, a crash, garbage on stdout), the
parent returns a result record: a failed child becomes ``accepted: false`` with a message and a
`rejection_reason` of ``timeout`` or ``scorer_crashed``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course_lib.challenges.cli import stdout_to_stderr
from course_lib.leaderboard.config import ScoringLimits

STDERR_TAIL = 4000
_running: set[subprocess.Popen] = set()  # children scoring right now (`stop_all_children`)
ENV_PASSED = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT")


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
    limits: ScoringLimits | None = None,
    python: str | None = None,
) -> ScoringOutcome:
    """Score the entry in `entry_dir` in a limited child process; never raises for a bad entry."""
    limits = limits or ScoringLimits()
    timeout = limits.timeout_for(challenge, runs or 1)
    job = {"challenge": challenge, "entry_dir": str(Path(entry_dir).resolve()), "seed": int(seed),
           "episodes": episodes, "runs": runs}
    command = [python or sys.executable, "-m", "course_lib.leaderboard.scoring"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="leaderboard-score-") as scratch:
        process = subprocess.Popen(
            _limited(command, limits, timeout),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=scratch,
            env=_child_environment(scratch, limits),
            start_new_session=True,  # its own process group, killed as a whole on timeout
            preexec_fn=None if shutil.which("prlimit") else _rlimits_setter(limits, timeout),
        )
        timed_out = False
        _running.add(process)
        try:
            stdout, stderr = process.communicate(json.dumps(job).encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            stdout, stderr = process.communicate()
        finally:
            _running.discard(process)
    elapsed = time.monotonic() - started
    stderr_tail = stderr.decode("utf-8", "replace")[-STDERR_TAIL:]
    record = None if timed_out else _parse_record(stdout)
    if record is None:
        record = _failure_record(challenge, seed, process.returncode, timed_out, timeout, limits, stderr_tail, elapsed)
    return ScoringOutcome(record, process.returncode, stderr_tail, timed_out, elapsed)


def stop_all_children() -> None:
    """Kill every scoring child of this process (the service is stopping)."""
    for process in list(_running):
        _kill_group(process)


def _limited(command: list[str], limits: ScoringLimits, timeout: float) -> list[str]:
    prlimit = shutil.which("prlimit")
    if not prlimit:
        return command
    cpu = int(timeout * max(1, os.cpu_count() or 1)) + 60
    return [
        prlimit,
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--cpu={cpu}",
        f"--nofile={limits.open_files}",
        f"--fsize={limits.file_size_mb * 1024 * 1024}",
        "--core=0",
        "--",
        *command,
    ]


def _rlimits_setter(limits: ScoringLimits, timeout: float):
    """Fallback where `prlimit` is missing: the same limits set in the child before exec."""
    import resource

    cpu = int(timeout * max(1, os.cpu_count() or 1)) + 60

    def set_limits():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * 1024 * 1024,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files,) * 2)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size_mb * 1024 * 1024,) * 2)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return set_limits


def _child_environment(scratch: str, limits: ScoringLimits) -> dict[str, str]:
    env = {key: os.environ[key] for key in ENV_PASSED if key in os.environ}
    env.update(HOME=scratch, TMPDIR=scratch, TF_CPP_MIN_LOG_LEVEL="2", PYTHONNOUSERSITE="1",
               MPLCONFIGDIR=scratch, PYTHONUNBUFFERED="1")
    if limits.threads:
        for name in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
            env[name] = str(limits.threads)
    return env


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


def _failure_record(challenge, seed, returncode, timed_out, timeout, limits, stderr_tail, elapsed) -> dict:
    from course_lib.challenges.results import AutoencoderResult, MazeResult

    record = AutoencoderResult(seed=seed) if challenge == "autoencoder" else MazeResult(seed=seed)
    if timed_out:
        record.reject(
            f"scoring took longer than the limit of {timeout:g} s and was stopped; "
            "use a smaller or faster network",
            "timeout",
        )
    else:
        record.reject(_crash_message(returncode, limits, stderr_tail), "scorer_crashed")
    record.wall_time_s = elapsed
    return record.to_dict()


def _crash_message(returncode, limits: ScoringLimits, stderr_tail: str) -> str:
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


# ---------------------------------------------------------------------------------------------
# The child


def child_main() -> int:
    """Read one job from stdin, score it, print one record on stdout (exit 0/1/3 as the CLI)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    job = json.loads(sys.stdin.read())
    with stdout_to_stderr():
        try:
            record = _score(job)
        except MemoryError:
            record = _child_failure(job, "the scoring process ran out of memory; use a smaller network", "resource_limit")
        except Exception as error:  # a platform bug must still give the worker a record
            print(f"internal error while scoring: {type(error).__name__}: {error}", file=sys.stderr)
            record = _child_failure(
                job,
                f"the platform failed while scoring this entry ({type(error).__name__}); the course staff "
                "has to look into it",
                "internal_error",
            )
    sys.stdout.write(record.to_json())
    sys.stdout.flush()
    if record.rejection_reason == "internal_error":
        return 3
    return 0 if record.accepted else 1


def _score(job: dict):
    if job["challenge"] == "autoencoder":
        from course_lib.challenges.autoencoder import DEFAULT_RUNS, score_autoencoder_entry

        return score_autoencoder_entry(job["entry_dir"], seed=job["seed"], runs=job.get("runs") or DEFAULT_RUNS)
    if job["challenge"] == "maze":
        from course_lib.challenges.maze_score import DEFAULT_EPISODES, score_maze_entry

        return score_maze_entry(job["entry_dir"], seed=job["seed"], episodes=job.get("episodes") or DEFAULT_EPISODES)
    raise ValueError(f"unknown challenge {job['challenge']!r}")


def _child_failure(job: dict, message: str, reason: str):
    from course_lib.challenges.results import AutoencoderResult, MazeResult

    record = AutoencoderResult(seed=job["seed"]) if job["challenge"] == "autoencoder" else MazeResult(seed=job["seed"])
    record.reject(message, reason)
    return record


if __name__ == "__main__":
    sys.exit(child_main())
