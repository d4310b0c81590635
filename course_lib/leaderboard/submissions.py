"""Receiving an entry: the daily cap, an immutable copy of its files, and a queued public run.

`submit_entry` is what the hub calls when a challenge submission arrives. It answers at once:

- ``queued``: the entry was copied (read-only, with its SHA-256) into the leaderboard's own
  folder and waits for the worker, which scores it on the public seed;
- ``refused: daily cap reached``: the student has used today's scored submissions;
- ``refused: invalid entry``: a file is missing or malformed, or the files are a copy of one of
  the platform's reference entries (they ship in `course_lib`); this does not use up a submission.

Daily cap rule (platform rule): a day runs from midnight to midnight in the configured timezone
(UTC by default), measured on the platform's receipt time. Every queued entry counts, except
entries whose scoring failed because of the platform itself (``internal_error``); rejected
entries count, because scoring them used the machine and the secret seed all the same.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from mlphys.challenges.autoencoder_settings import SETTINGS_FILE, read_settings
from mlphys.challenges.errors import EntryRejected
from course_lib.leaderboard.pseudonyms import PseudonymError, check_pseudonym, ensure_student, pseudonym_key
from course_lib.leaderboard.schema import PUBLIC, QUEUED, Entry, ScoredRun
from course_lib.leaderboard.seeds import check_challenge, seed_for
from course_lib.leaderboard.store import Store

ENTRY_FILES = {
    "autoencoder": ("autoencoder.keras", SETTINGS_FILE),
    "maze": ("maze_policy.keras",),
}
MAX_ENTRY_FILE_BYTES = 100 * 1024 * 1024  # the scorers' own limit for a .keras file

QUEUED_STATUS = "queued"
CAP_REFUSAL = "refused: daily cap reached"
INVALID_REFUSAL = "refused: invalid entry"

_submit_lock = threading.Lock()  # SQLite has no row locks; PostgreSQL also locks the student row


@dataclass(frozen=True)
class SubmitOutcome:
    """What the student is told at once. `status` is one of the three strings above."""

    status: str
    message: str
    entry_id: int | None = None
    run_id: int | None = None
    used_today: int = 0
    daily_cap: int = 0

    @property
    def queued(self) -> bool:
        return self.status == QUEUED_STATUS

    def __str__(self) -> str:
        return self.status


def submit_entry(
    store: Store,
    student: str,
    challenge: str,
    entry_dir: str | Path,
    *,
    received_at: datetime | None = None,
    real_name: str | None = None,
    pseudonym: str | None = None,
) -> SubmitOutcome:
    """Queue `student`'s entry in `entry_dir` for scoring, or refuse it with a clear message.

    `received_at` is the platform's receipt time (the exchange's stamp); default: the store's
    clock. `pseudonym`, if given, is the student's chosen board name (checked like
    `pseudonyms.set_pseudonym`; an unusable one leaves the old name and says why in the message).
    """
    check_challenge(challenge)
    received_at = (received_at or store.now())
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    try:
        files, training = check_entry_files(challenge, Path(entry_dir))
    except EntryRejected as problem:
        return SubmitOutcome(INVALID_REFUSAL, f"{INVALID_REFUSAL}: {problem.message}; this did not use up a submission")

    with _submit_lock, store.session() as session:
        copied = session.scalar(
            select(Entry.reference_label).where(
                Entry.reference_label.is_not(None), Entry.challenge == challenge,
                Entry.checksum == entry_checksum(Path(entry_dir), list(files)),
            )
        )
        if copied is not None:
            return SubmitOutcome(
                INVALID_REFUSAL,
                f"{INVALID_REFUSAL}: these files are the platform's own reference entry ({copied}); "
                "this did not use up a submission",
            )
        row = ensure_student(session, student, real_name=real_name, now=store.now())
        note = ""
        if pseudonym:
            try:
                chosen = check_pseudonym(session, student, pseudonym)
                row.pseudonym, row.pseudonym_key, row.pseudonym_chosen = chosen, pseudonym_key(chosen), True
            except PseudonymError as error:
                note = f"; your pseudonym stays {row.pseudonym!r}: {error}"
        cap = store.daily_cap(session)
        start, end = day_window(received_at, store.config.day_timezone)
        used = count_submissions(session, student, start, end)
        if used >= cap:
            return SubmitOutcome(
                CAP_REFUSAL,
                f"{CAP_REFUSAL}: you have used {used} of {cap} scored submissions for "
                f"{start.astimezone(ZoneInfo(store.config.day_timezone)):%Y-%m-%d}; the count starts "
                f"again at midnight ({store.config.day_timezone}), in {_duration(end - received_at)}{note}",
                used_today=used,
                daily_cap=cap,
            )
        relative = Path(challenge) / f"{received_at:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}"
        target = store.entries_dir / relative
        try:
            checksum = copy_entry_files(files, target)
            entry = Entry(
                student_name=student, challenge=challenge, training=training, received_at=received_at,
                checksum=checksum, files_dir=relative.as_posix(), counts_toward_cap=True,
            )
            session.add(entry)
            session.flush()
            run = queue_run(session, store, entry, PUBLIC)
        except BaseException:
            remove_entry_copy(target)
            raise
        return SubmitOutcome(
            QUEUED_STATUS,
            f"queued for scoring ({used + 1} of {cap} scored submissions used today); "
            f"the result appears on the board within minutes{note}",
            entry_id=entry.id,
            run_id=run.id,
            used_today=used + 1,
            daily_cap=cap,
        )


def queue_run(session, store: Store, entry: Entry, stage: str) -> ScoredRun:
    """A queued run of `entry` on the challenge's `stage` seed with the configured sizes."""
    run = ScoredRun(
        entry_id=entry.id,
        stage=stage,
        status=QUEUED,
        seed=seed_for(session, entry.challenge, stage, store.now()),
        episodes=store.scoring_size("maze_episodes", session) if entry.challenge == "maze" else None,
        runs=store.scoring_size("autoencoder_runs", session) if entry.challenge == "autoencoder" else None,
        queued_at=store.now(),
        boards="",
        message="",
    )
    session.add(run)
    session.flush()
    return run


def count_submissions(session, student: str, start: datetime, end: datetime) -> int:
    """Entries of `student` received in [start, end) that count toward the cap."""
    return session.scalar(
        select(func.count(Entry.id)).where(
            Entry.student_name == student,
            Entry.counts_toward_cap.is_(True),
            Entry.received_at >= start,
            Entry.received_at < end,
        )
    )


def submissions_today(store: Store, student: str, now: datetime | None = None) -> tuple[int, int]:
    """(used, cap) for `student` on the day containing `now` (default: the store's clock)."""
    now = now or store.now()
    start, end = day_window(now, store.config.day_timezone)
    with store.session() as session:
        return count_submissions(session, student, start, end), store.daily_cap(session)


def day_window(moment: datetime, timezone_name: str) -> tuple[datetime, datetime]:
    """Midnight to midnight (aware datetimes) of the day containing `moment` in that timezone."""
    zone = ZoneInfo(timezone_name)
    local = moment.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    following = local.date() + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone)
    return start, end


def _duration(delta: timedelta) -> str:
    minutes = max(1, int(delta.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def check_entry_files(challenge: str, entry_dir: Path) -> tuple[dict[str, Path], str | None]:
    """The entry's files by name, and the declared training budget; `EntryRejected` if unusable.

    Only the challenge's files are taken; anything else in the folder is ignored.
    """
    if not entry_dir.is_dir():
        raise EntryRejected(f"the entry folder {entry_dir.name!r} does not exist", "missing_file")
    files = {}
    for name in ENTRY_FILES[challenge]:
        path = entry_dir / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise EntryRejected(f"{name} must be a regular file", "missing_file")
        if not path.is_file():
            raise EntryRejected(f"{name} is missing from the entry", "missing_file")
        size = path.stat().st_size
        if size > MAX_ENTRY_FILE_BYTES:
            raise EntryRejected(f"{name} is {size:,} bytes; the limit is {MAX_ENTRY_FILE_BYTES:,}", "file_too_large")
        files[name] = path
    training = read_settings(entry_dir).training if challenge == "autoencoder" else None
    return files, training


def copy_entry_files(files: dict[str, Path], target: Path) -> str:
    """Copy the files into `target` (read-only afterwards); returns their SHA-256."""
    target.mkdir(parents=True, exist_ok=False)
    for name, source in files.items():
        shutil.copyfile(source, target / name, follow_symlinks=False)
        os.chmod(target / name, stat.S_IRUSR | stat.S_IRGRP)
    os.chmod(target, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    return entry_checksum(target, list(files))


def entry_checksum(folder: Path, names: list[str]) -> str:
    """SHA-256 over the entry's files: name, size and content of each, in name order."""
    digest = hashlib.sha256()
    for name in sorted(names):
        data = (folder / name).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def remove_entry_copy(target: Path) -> None:
    if target.exists():
        os.chmod(target, stat.S_IRWXU)
        shutil.rmtree(target, ignore_errors=True)
