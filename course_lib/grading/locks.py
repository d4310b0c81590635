"""File locks of grading: one batch per assignment at a time, and gradebook writes one at a time."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from .assignment import GRADING_DIR


def sqlite_path(db_url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases, which lock for themselves)."""
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url.removeprefix("sqlite:///").split("?", 1)[0])


@contextlib.contextmanager
def gradebook_lock(db_url: str):
    """Serialize gradebook writes of concurrent graders (SQLite's own lock would make them wait and time out)."""
    database = sqlite_path(db_url)
    if database is None:
        yield
        return
    try:
        handle = open(database.with_name(database.name + ".lock"), "a")
    except OSError:  # a read-only course folder: SQLite's own locking still holds
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def batch_lock(root: Path, assignment: str):
    """One `course grade <assignment>` at a time; a second one is refused with the first one's pid."""
    path = root / GRADING_DIR / f"{assignment}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        raise ValueError(f"another `course grade {assignment}` is running ({handle.read().strip() or 'unknown pid'}); "
                         "wait for it or stop it first") from None
    handle.seek(0), handle.truncate(), handle.write(f"pid {os.getpid()}"), handle.flush()
    try:
        yield
    finally:
        handle.close()
