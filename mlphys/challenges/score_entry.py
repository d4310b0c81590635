"""Score one challenge entry and always produce one result record: the code a scoring sandbox runs.

``python -m mlphys.challenges.score_entry`` reads one job as JSON on stdin (challenge, entry
folder, secret seed, runs or episodes), scores it and prints exactly one record as JSON on
stdout. The leaderboard starts it inside the sandbox (``course_lib.leaderboard.scoring``); the
instructors' ``course challenge score`` calls `score` directly. Whatever fails, the result is a
record: a platform bug becomes ``rejection_reason: internal_error`` (exit status 3).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys


def score(challenge: str, entry_dir, seed: int, runs: int | None = None, episodes: int | None = None):
    """The challenge's result for the entry in `entry_dir` (a bad entry is a rejected result)."""
    if challenge == "autoencoder":
        from mlphys.challenges.autoencoder import DEFAULT_RUNS, score_autoencoder_entry

        return score_autoencoder_entry(entry_dir, seed=seed, runs=runs or DEFAULT_RUNS)
    if challenge == "maze":
        from mlphys.challenges.maze_score import DEFAULT_EPISODES, score_maze_entry

        return score_maze_entry(entry_dir, seed=seed, episodes=episodes or DEFAULT_EPISODES)
    raise ValueError(f"unknown challenge {challenge!r}")


def failure_record(challenge: str, seed: int, message: str, reason: str):
    """A rejected result of `challenge` that says why no score could be computed."""
    from mlphys.challenges.results import AutoencoderResult, MazeResult

    record = AutoencoderResult(seed=seed) if challenge == "autoencoder" else MazeResult(seed=seed)
    record.reject(message, reason)
    return record


def score_safely(challenge: str, entry_dir, seed: int, runs: int | None = None, episodes: int | None = None):
    """`score`, with memory exhaustion and platform bugs turned into records (stdout kept clean)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with stdout_to_stderr():
        try:
            return score(challenge, entry_dir, seed, runs=runs, episodes=episodes)
        except MemoryError:
            return failure_record(challenge, seed, "the scoring process ran out of memory; use a smaller network",
                                  "resource_limit")
        except Exception as error:  # a platform bug must still give the caller a record
            print(f"internal error while scoring {entry_dir}: {type(error).__name__}: {error}", file=sys.stderr)
            return failure_record(challenge, seed, f"the platform failed while scoring this entry ({type(error).__name__}); "
                                  "the course staff has to look into it", "internal_error")


def exit_status(record) -> int:
    """0 accepted, 1 rejected, 3 internal error."""
    if record.rejection_reason == "internal_error":
        return 3
    return 0 if record.accepted else 1


@contextlib.contextmanager
def stdout_to_stderr():
    """Point file descriptor 1 at stderr for the duration, Python- and C-level alike (TensorFlow prints from C++)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded use): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main() -> int:
    """Read one job from stdin, score it, print one record on stdout."""
    job = json.loads(sys.stdin.read())
    record = score_safely(job["challenge"], job["entry_dir"], int(job["seed"]), runs=job.get("runs"),
                          episodes=job.get("episodes"))
    sys.stdout.write(record.to_json())
    sys.stdout.flush()
    return exit_status(record)


if __name__ == "__main__":
    sys.exit(main())
