"""The secret seeds of each challenge and the reveal of the final board.

Each challenge has two seeds, drawn with `secrets` the first time they are needed and kept in
the database: the public seed scores every entry as it arrives (all term long, so entries are
comparable), the final seed scores each student's best public entries after the deadline. The
final board and the seeds stay hidden from students until the instructor reveals them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from course_lib.leaderboard.config import CHALLENGES
from course_lib.leaderboard.schema import FINAL, PUBLIC, SeedSet
from course_lib.leaderboard.store import Store

SEED_BOUND = 2**53  # what the scorer's command line accepts and JSON carries exactly


@dataclass(frozen=True)
class SeedInfo:
    challenge: str
    public_seed: int
    final_seed: int
    final_queued_at: datetime | None
    final_revealed_at: datetime | None

    @property
    def final_revealed(self) -> bool:
        return self.final_revealed_at is not None


def check_challenge(challenge: str) -> str:
    if challenge not in CHALLENGES:
        raise ValueError(f"unknown challenge {challenge!r}; the challenges are {', '.join(CHALLENGES)}")
    return challenge


def seed_row(session: Session, challenge: str, now: datetime) -> SeedSet:
    """The challenge's seed set, drawn on first use."""
    row = session.get(SeedSet, check_challenge(challenge))
    if row is None:
        public = secrets.randbelow(SEED_BOUND)
        final = secrets.randbelow(SEED_BOUND)
        while final == public:
            final = secrets.randbelow(SEED_BOUND)
        row = SeedSet(challenge=challenge, public_seed=public, final_seed=final, created_at=now)
        session.add(row)
        session.flush()
    return row


def seed_for(session: Session, challenge: str, stage: str, now: datetime) -> int:
    row = seed_row(session, challenge, now)
    if stage == PUBLIC:
        return row.public_seed
    if stage == FINAL:
        return row.final_seed
    raise ValueError(f"unknown stage {stage!r}")


def seed_info(store: Store, challenge: str) -> SeedInfo:
    with store.session() as session:
        row = seed_row(session, challenge, store.now())
        return SeedInfo(challenge, row.public_seed, row.final_seed, row.final_queued_at, row.final_revealed_at)


def set_seeds(store: Store, challenge: str, *, public_seed: int | None = None, final_seed: int | None = None) -> None:
    """Fix the seeds (before anything is scored), e.g. for a demo or a test."""
    with store.session() as session:
        row = seed_row(session, challenge, store.now())
        if public_seed is not None:
            row.public_seed = int(public_seed)
        if final_seed is not None:
            row.final_seed = int(final_seed)


def is_final_revealed(store: Store, challenge: str) -> bool:
    return seed_info(store, challenge).final_revealed


def reveal_final(store: Store, challenge: str) -> datetime:
    """Show the final board and the seeds to students; returns the time of the reveal."""
    with store.session() as session:
        row = seed_row(session, challenge, store.now())
        if row.final_queued_at is None:
            raise ValueError(
                f"the final board of {challenge} has not been scored yet: run start_final_scoring first"
            )
        if row.final_revealed_at is None:
            row.final_revealed_at = store.now()
        return row.final_revealed_at


def hide_final(store: Store, challenge: str) -> None:
    """Undo a reveal made by mistake."""
    with store.session() as session:
        seed_row(session, challenge, store.now()).final_revealed_at = None
