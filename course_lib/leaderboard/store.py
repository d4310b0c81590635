"""The leaderboard's database handle: engine, sessions, clock and instructor settings.

`Store` bundles what every other module needs: the configuration, a SQLAlchemy engine, a session
factory and a clock (injectable, so tests can move through days). `default_store()` is the
process's shared store for the environment's configuration (see `config`); `open_store()` opens
a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.schema import Base, Setting

DAILY_CAP_KEY = "daily_cap"
# Instructor settings of the scoring sizes (the challenge page's defaults: K = 3 runs, N = 1,000 episodes).
SCORING_SIZES = ("autoencoder_runs", "maze_episodes")  # setting keys, and fields of LeaderboardConfig


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """Configuration + database + clock. Create the tables on first use."""

    def __init__(self, config: LeaderboardConfig, *, clock: Callable[[], datetime] = utc_now, engine=None):
        self.config = config
        self.clock = clock
        self.engine = engine or _make_engine(config.db_url)
        self.entries_dir = Path(config.entries_dir)
        self.entries_dir.mkdir(parents=True, exist_ok=True)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the leaderboard clock must return timezone-aware times")
        return now.astimezone(timezone.utc)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends normally, rolled back otherwise."""
        with self._sessions() as session, session.begin():
            yield session

    # -- instructor settings -------------------------------------------------------------------

    def daily_cap(self, session: Session | None = None) -> int:
        """Scored submissions per student per day: the instructor's setting, else the config's."""
        if session is None:
            with self.session() as session:
                return self.daily_cap(session)
        setting = session.get(Setting, DAILY_CAP_KEY)
        return int(setting.value) if setting else self.config.daily_cap

    def set_daily_cap(self, cap: int) -> None:
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise ValueError(f"the daily cap must be a non-negative integer, not {cap!r}")
        self._set(DAILY_CAP_KEY, cap)

    def scoring_size(self, name: str, session: Session | None = None) -> int:
        """Training runs K (``autoencoder_runs``) or episodes N (``maze_episodes``) of new public
        runs: the instructor's setting, else the config's."""
        if name not in SCORING_SIZES:
            raise KeyError(f"no scoring size {name!r}; one of {SCORING_SIZES}")
        if session is None:
            with self.session() as session:
                return self.scoring_size(name, session)
        setting = session.get(Setting, name)
        return int(setting.value) if setting else int(getattr(self.config, name))

    def set_scoring_size(self, name: str, value: int) -> None:
        if name not in SCORING_SIZES:
            raise KeyError(f"no scoring size {name!r}; one of {SCORING_SIZES}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name.replace('_', ' ')} must be a positive integer, not {value!r}")
        self._set(name, value)

    def _set(self, key: str, value: int) -> None:
        with self.session() as session:
            setting = session.get(Setting, key)
            if setting is None:
                session.add(Setting(key=key, value=str(value)))
            else:
                setting.value = str(value)

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str):
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # noqa: ANN001
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")  # the page reads while the worker writes
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def open_store(config: LeaderboardConfig | None = None, **kwargs) -> Store:
    """A new store for `config` (default: the environment's configuration)."""
    return Store(config or LeaderboardConfig.from_env(), **kwargs)


_default_stores: dict[LeaderboardConfig, Store] = {}
_default_lock = threading.Lock()


def default_store() -> Store:
    """The process's store for the environment's configuration, opened once and shared."""
    config = LeaderboardConfig.from_env()
    with _default_lock:
        if config not in _default_stores:
            _default_stores[config] = Store(config)
        return _default_stores[config]
