"""Settings of the leaderboard, read from the environment with sensible local defaults.

==================================  ===============================================================
COURSE_ID                           the course (instructors are the hub group ``formgrade-<course>``)
COURSE_ROOT                         the course folder (default: the current folder)
COURSE_LEADERBOARD_DIR              state folder: database and entry copies (``<root>/.state/leaderboard``)
COURSE_LEADERBOARD_DB_URL           SQLAlchemy URL (default SQLite in the state folder); e.g.
                                    ``postgresql+psycopg://user:pw@db/leaderboard`` in docker-compose
COURSE_LEADERBOARD_DAILY_CAP        default scored submissions per student per day (5); the
                                    instructor's setting stored in the database takes precedence
COURSE_LEADERBOARD_TIMEZONE         the timezone whose midnight starts a new day for the cap (UTC)
COURSE_LEADERBOARD_MAZE_EPISODES    episodes per maze scoring (1000)
COURSE_LEADERBOARD_AE_RUNS          training runs K per autoencoder scoring (3)
COURSE_LEADERBOARD_MEMORY_MB        memory of one scoring's sandbox in MiB (8192)
COURSE_LEADERBOARD_TIMEOUT          wall-clock limit of one scoring in seconds (default: by challenge)
COURSE_LEADERBOARD_REFERENCE_ROWS   ``0``: the platform's reference entries are not registered, so
                                    not scored (their scoring is minutes of CPU, the LONG one most);
                                    default ``1``
==================================  ===============================================================
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from course_lib.sandbox.limits import Limits

CHALLENGES = ("autoencoder", "maze")
# The course's challenge assignments: a submission of one of them is an entry of that challenge.
CHALLENGE_ASSIGNMENTS = {"lecture04_autoencoder_challenge": "autoencoder", "lecture09_maze_challenge": "maze"}
DEFAULT_COURSE_ID = "mlphys"
DEFAULT_DAILY_CAP = 5


# One scoring's sandbox (course_lib.sandbox, the notebooks' own): TensorFlow training a challenge
# network needs more memory than a notebook; an entry file may have 100 MB; it may use
# every core (one entry is scored at a time). `LeaderboardConfig.limits_for` adds the time limits.
SCORING_LIMITS = Limits(memory_mb=8192, file_size_mb=128, open_files=256, threads=max(1, os.cpu_count() or 1))


def default_timeout(challenge: str, runs: int, wall_clock_cap_s: float = 600.0) -> int:
    """The autoencoder's rules allow `runs` x 600 s of training; add room for start-up."""
    if challenge == "autoencoder":
        return int(runs * wall_clock_cap_s + 300)
    return 900


@dataclass(frozen=True)
class LeaderboardConfig:
    db_url: str
    entries_dir: Path
    course_id: str = DEFAULT_COURSE_ID
    daily_cap: int = DEFAULT_DAILY_CAP
    day_timezone: str = "UTC"
    maze_episodes: int = 1000
    autoencoder_runs: int = 3
    limits: Limits = SCORING_LIMITS
    timeout_s: int | None = None  # wall-clock limit of one scoring; None: `default_timeout` by challenge
    reference_rows: bool = True  # the service registers (and so scores) the reference entries at its start

    def limits_for(self, challenge: str, runs: int | None) -> Limits:
        """The sandbox limits of one scoring: its wall-clock limit, and CPU time for every core of it."""
        wall = self.timeout_s or default_timeout(challenge, runs or 1)
        return dataclasses.replace(self.limits, wall_time=wall, cpu_seconds=wall * max(1, os.cpu_count() or 1) + 60)

    @classmethod
    def for_directory(cls, state_dir: str | Path, **overrides) -> "LeaderboardConfig":
        """SQLite database and entry copies inside one folder (tests, the local mode)."""
        state = Path(state_dir)
        return cls(db_url=f"sqlite:///{state / 'leaderboard.sqlite'}", entries_dir=state / "entries", **overrides)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "LeaderboardConfig":
        env = os.environ if environ is None else environ
        root = Path(env.get("COURSE_ROOT") or os.getcwd())
        state = Path(env.get("COURSE_LEADERBOARD_DIR") or root / ".state" / "leaderboard")
        limits = dataclasses.replace(
            SCORING_LIMITS, memory_mb=int(env.get("COURSE_LEADERBOARD_MEMORY_MB", SCORING_LIMITS.memory_mb)))
        return cls(
            db_url=env.get("COURSE_LEADERBOARD_DB_URL") or f"sqlite:///{state / 'leaderboard.sqlite'}",
            entries_dir=state / "entries",
            course_id=env.get("COURSE_ID", DEFAULT_COURSE_ID),
            daily_cap=int(env.get("COURSE_LEADERBOARD_DAILY_CAP", DEFAULT_DAILY_CAP)),
            day_timezone=env.get("COURSE_LEADERBOARD_TIMEZONE", "UTC"),
            maze_episodes=int(env.get("COURSE_LEADERBOARD_MAZE_EPISODES", 1000)),
            autoencoder_runs=int(env.get("COURSE_LEADERBOARD_AE_RUNS", 3)),
            limits=limits,
            timeout_s=int(env["COURSE_LEADERBOARD_TIMEOUT"]) if env.get("COURSE_LEADERBOARD_TIMEOUT") else None,
            reference_rows=_on_or_off(env, "COURSE_LEADERBOARD_REFERENCE_ROWS", default=True),
        )


def _on_or_off(env, name: str, default: bool) -> bool:
    """A switch; a value that is neither on nor off is an error that names the variable, not a silent default."""
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0 (on or off), not {env[name]!r}")
