"""The leaderboard's tables (SQLAlchemy 2 declarative; SQLite and PostgreSQL alike).

- `Student`: a hub user who entered a challenge, their real name (if the platform knows it) and
  their pseudonym, chosen or generated.
- `Entry`: one received submission: who, which challenge, the boards it stands on (known once
  scored), when the platform received it, the SHA-256 of its files and where the platform's
  immutable copy lives. Reference entries have a
  `reference_label` and no student.
- `ScoredRun`: one scoring of one entry under one seed set (``public`` or ``final``): the queue
  state, the board numbers, the verdict and the full result record (JSON) with versions, seed,
  per-batch costs or per-episode returns and wall time.
- `SeedSet`: the public and final secret seeds of a challenge, and when the final board was
  queued and revealed.
- `FinalSelection`: the entry that stands for a student on a final board (their best public
  entry on that board when final scoring started).
- `Setting`: instructor settings such as the daily cap.
- `Arrival`: one challenge submission as the exchange handed it over, with what the student
  was told (queued, or refused and why), so that refusals are visible to the student too.

Times are stored as naive UTC and always come back timezone-aware (UTC).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

PUBLIC, FINAL = "public", "final"
QUEUED, RUNNING, DONE = "queued", "running", "done"


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("leaderboard times must be timezone-aware")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    pass


class Student(Base):
    __tablename__ = "students"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)  # the hub user name
    real_name: Mapped[str | None] = mapped_column(String(255))
    pseudonym: Mapped[str] = mapped_column(String(64))
    pseudonym_key: Mapped[str] = mapped_column(String(64), unique=True)  # case-folded: unique ignoring case
    pseudonym_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    entries: Mapped[list["Entry"]] = relationship(back_populates="student")


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_name: Mapped[str | None] = mapped_column(ForeignKey("students.name"), index=True)
    reference_label: Mapped[str | None] = mapped_column(String(128))
    challenge: Mapped[str] = mapped_column(String(32), index=True)
    training: Mapped[str | None] = mapped_column(String(16))  # autoencoder: NORMAL/LONG as declared
    boards: Mapped[str] = mapped_column(String(128), default="")  # set by its public scoring, e.g. "HARD/NORMAL,MEDIUM/NORMAL"
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    checksum: Mapped[str] = mapped_column(String(64))
    files_dir: Mapped[str] = mapped_column(String(1024))  # relative to the configured entries folder
    counts_toward_cap: Mapped[bool] = mapped_column(Boolean, default=True)

    student: Mapped[Student | None] = relationship(back_populates="entries")
    runs: Mapped[list["ScoredRun"]] = relationship(back_populates="entry", order_by="ScoredRun.id")

    @property
    def is_reference(self) -> bool:
        return self.reference_label is not None


class ScoredRun(Base):
    __tablename__ = "scored_runs"
    __table_args__ = (UniqueConstraint("entry_id", "stage", name="one_run_per_entry_and_stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))  # public | final
    status: Mapped[str] = mapped_column(String(8), index=True)  # queued | running | done
    seed: Mapped[int] = mapped_column(BigInteger)
    episodes: Mapped[int | None] = mapped_column(Integer)  # maze: N
    runs: Mapped[int | None] = mapped_column(Integer)  # autoencoder: K
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Double)
    score_stderr: Mapped[float | None] = mapped_column(Double)
    heldout_cost: Mapped[float | None] = mapped_column(Double)
    heldout_cost_stderr: Mapped[float | None] = mapped_column(Double)
    bottleneck: Mapped[int | None] = mapped_column(Integer)
    boards: Mapped[str] = mapped_column(String(128), default="")  # e.g. "HARD/NORMAL,MEDIUM/NORMAL"
    message: Mapped[str] = mapped_column(Text, default="")
    rejection_reason: Mapped[str | None] = mapped_column(String(64))
    record_json: Mapped[str | None] = mapped_column(Text)
    wall_time_s: Mapped[float | None] = mapped_column(Double)
    exit_status: Mapped[int | None] = mapped_column(Integer)

    entry: Mapped[Entry] = relationship(back_populates="runs")

    @property
    def board_list(self) -> list[str]:
        return [board for board in self.boards.split(",") if board]


class SeedSet(Base):
    __tablename__ = "seed_sets"

    challenge: Mapped[str] = mapped_column(String(32), primary_key=True)
    public_seed: Mapped[int] = mapped_column(BigInteger)
    final_seed: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    final_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    final_revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FinalSelection(Base):
    __tablename__ = "final_selections"

    challenge: Mapped[str] = mapped_column(String(32), primary_key=True)
    board: Mapped[str] = mapped_column(String(32), primary_key=True)
    student_name: Mapped[str] = mapped_column(ForeignKey("students.name"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


class Arrival(Base):
    __tablename__ = "arrivals"

    submission_id: Mapped[str] = mapped_column(String(128), primary_key=True)  # the exchange's id: retries are idempotent
    student_name: Mapped[str] = mapped_column(String(255), index=True)
    challenge: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(64))  # the `submissions.SubmitOutcome` status
    message: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"))
