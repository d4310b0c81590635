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
COURSE_LEADERBOARD_MEMORY_MB        address-space limit of a scoring process (8192)
COURSE_LEADERBOARD_TIMEOUT          wall-clock limit of one scoring in seconds (default: by challenge)
==================================  ===============================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

CHALLENGES = ("autoencoder", "maze")
# The course's challenge assignments: a submission of one of them is an entry of that challenge.
CHALLENGE_ASSIGNMENTS = {"lecture04_autoencoder_challenge": "autoencoder", "lecture09_maze_challenge": "maze"}
DEFAULT_COURSE_ID = "mlphys"
DEFAULT_DAILY_CAP = 5


@dataclass(frozen=True)
class ScoringLimits:
    """Resource limits of the child process that scores one entry."""

    memory_mb: int = 8192  # RLIMIT_AS; TensorFlow needs about 1.5 GiB of address space to start
    timeout_s: float | None = None  # None: `timeout_for(challenge, ...)`
    open_files: int = 256
    file_size_mb: int = 64  # the scorer writes nothing; this only stops a runaway
    threads: int | None = None  # OMP/TF intra-op threads; None leaves the library default

    def timeout_for(self, challenge: str, runs: int, wall_clock_cap_s: float = 600.0) -> float:
        """The autoencoder's rules allow `runs` x 600 s of training; add room for start-up."""
        if self.timeout_s is not None:
            return float(self.timeout_s)
        if challenge == "autoencoder":
            return runs * wall_clock_cap_s + 300.0
        return 900.0


@dataclass(frozen=True)
class LeaderboardConfig:
    db_url: str
    entries_dir: Path
    course_id: str = DEFAULT_COURSE_ID
    daily_cap: int = DEFAULT_DAILY_CAP
    day_timezone: str = "UTC"
    maze_episodes: int = 1000
    autoencoder_runs: int = 3
    limits: ScoringLimits = field(default_factory=ScoringLimits)

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
        limits = ScoringLimits(
            memory_mb=int(env.get("COURSE_LEADERBOARD_MEMORY_MB", ScoringLimits.memory_mb)),
            timeout_s=float(env["COURSE_LEADERBOARD_TIMEOUT"]) if env.get("COURSE_LEADERBOARD_TIMEOUT") else None,
        )
        return cls(
            db_url=env.get("COURSE_LEADERBOARD_DB_URL") or f"sqlite:///{state / 'leaderboard.sqlite'}",
            entries_dir=state / "entries",
            course_id=env.get("COURSE_ID", DEFAULT_COURSE_ID),
            daily_cap=int(env.get("COURSE_LEADERBOARD_DAILY_CAP", DEFAULT_DAILY_CAP)),
            day_timezone=env.get("COURSE_LEADERBOARD_TIMEZONE", "UTC"),
            maze_episodes=int(env.get("COURSE_LEADERBOARD_MAZE_EPISODES", 1000)),
            autoencoder_runs=int(env.get("COURSE_LEADERBOARD_AE_RUNS", 3)),
            limits=limits,
        )
