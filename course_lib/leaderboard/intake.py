"""Challenge submissions handed over by the course exchange: queue the entry, remember the answer.

The exchange posts the entry files of each challenge submission it receives (see
`course_lib.hub.challenge_intake`). `receive_submission` passes them to `submit_entry` (daily
cap, checks, immutable copy, queued public run) and stores what the student was told as an
`Arrival`, refusals included, so that "my entries" shows every submission and why it was or
was not scored. The exchange's submission id makes a repeated hand-over (a retry) harmless.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from course_lib.leaderboard.schema import Arrival
from course_lib.leaderboard.seeds import check_challenge
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import ENTRY_FILES, submit_entry

MAX_SUBMISSION_ID = 128


@dataclass(frozen=True)
class ArrivalOutcome:
    submission_id: str
    status: str
    message: str
    entry_id: int | None
    repeated: bool = False  # this submission had been handed over before

    def to_dict(self) -> dict:
        return {"submission_id": self.submission_id, "status": self.status, "message": self.message,
                "entry_id": self.entry_id, "repeated": self.repeated}


def receive_submission(store: Store, student: str, challenge: str, submission_id: str, received_at: datetime,
                       files: dict[str, bytes]) -> ArrivalOutcome:
    """Queue the entry in `files` (name -> bytes) for scoring, or record why not."""
    check_challenge(challenge)
    if not submission_id or len(submission_id) > MAX_SUBMISSION_ID:
        raise ValueError("a submission id of 1 to 128 characters is required")
    with store.session() as session:
        known = session.get(Arrival, submission_id)
        if known is not None:
            if (known.student_name, known.challenge) != (student, challenge):
                raise ValueError(f"submission {submission_id} was handed over before for another student or challenge")
            return ArrivalOutcome(known.submission_id, known.status, known.message, known.entry_id, repeated=True)
    with tempfile.TemporaryDirectory(prefix="leaderboard-arrival-") as scratch:
        for name in ENTRY_FILES[challenge]:
            if name in files:
                (Path(scratch) / name).write_bytes(files[name])
        outcome = submit_entry(store, student, challenge, scratch, received_at=received_at)
    with store.session() as session:
        session.add(Arrival(submission_id=submission_id, student_name=student, challenge=challenge,
                            received_at=received_at, status=outcome.status, message=outcome.message,
                            entry_id=outcome.entry_id))
    return ArrivalOutcome(submission_id, outcome.status, outcome.message, outcome.entry_id)


def arrivals_of(store: Store, challenge: str, student: str) -> pd.DataFrame:
    """Every hand-over of `student`'s submissions of `challenge`, oldest first."""
    columns = ["submission_id", "received_at", "status", "message", "entry_id"]
    with store.session() as session:
        rows = [
            {column: getattr(arrival, column) for column in columns}
            for arrival in session.scalars(
                select(Arrival)
                .where(Arrival.student_name == student, Arrival.challenge == challenge)
                .order_by(Arrival.received_at)
            )
        ]
    return pd.DataFrame(rows, columns=columns)
