"""A board as the page shows it: loaded from the database, ranked, and formatted per viewer.

`board_view(store, challenge, board, stage, viewer)` returns a `BoardView` whose `table` is a
frame of strings, exactly the cells of the HTML table; `BoardView.csv()` writes that same frame,
so the CSV download equals the page. Students see pseudonyms (and "you" on their own row),
instructors real names, hub user names and entry ids.

The public board ranks each student's best public entry. The final board ranks the final-seed
runs of the entries frozen by `final.start_final_scoring`, one per student and board; students
see it only after the instructor's reveal (instructors may preview it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import select

from course_lib.leaderboard.ranking import BOARDS, build_board, empty_runs
from course_lib.leaderboard.schema import DONE, FINAL, PUBLIC, Entry, FinalSelection, ScoredRun, Student
from course_lib.leaderboard.seeds import check_challenge, seed_info
from course_lib.leaderboard.store import Store

STAGES = (PUBLIC, FINAL)


@dataclass(frozen=True)
class Viewer:
    """Who looks at a board: a hub user name, and whether they teach the course."""

    name: str
    instructor: bool = False


@dataclass
class BoardView:
    challenge: str
    board: str
    stage: str
    viewer: Viewer
    table: pd.DataFrame  # strings, in display order: what the page and the CSV show
    ranked: pd.DataFrame = field(repr=False)  # the numbers behind it (for plots)
    hidden: bool = False
    notice: str = ""

    def csv(self) -> str:
        return self.table.to_csv(index=False, lineterminator="\n")

    @property
    def filename(self) -> str:
        return f"{self.challenge}-{self.board.replace('/', '-').lower()}-{self.stage}.csv"


class BoardHidden(PermissionError):
    """The final board is not revealed yet."""


def boards_of(challenge: str) -> tuple[str, ...]:
    return BOARDS[check_challenge(challenge)]


def load_runs(store: Store, challenge: str, stage: str = PUBLIC, *, entry_ids=None) -> pd.DataFrame:
    """Accepted, finished runs of `challenge` on `stage`, one row per run (see ranking.RUN_COLUMNS)."""
    query = (
        select(ScoredRun, Entry, Student)
        .join(Entry, ScoredRun.entry_id == Entry.id)
        .outerjoin(Student, Entry.student_name == Student.name)
        .where(Entry.challenge == challenge, ScoredRun.stage == stage, ScoredRun.status == DONE,
               ScoredRun.accepted.is_(True))
    )
    if entry_ids is not None:
        query = query.where(Entry.id.in_(list(entry_ids)))
    with store.session() as session:
        rows = [
            {
                "run_id": run.id, "entry_id": entry.id, "student": entry.student_name,
                "real_name": student.real_name if student else None,
                "pseudonym": student.pseudonym if student else None,
                "reference_label": entry.reference_label, "challenge": entry.challenge, "stage": run.stage,
                "received_at": entry.received_at, "score": run.score, "score_stderr": run.score_stderr,
                "heldout_cost": run.heldout_cost, "heldout_cost_stderr": run.heldout_cost_stderr,
                "bottleneck": run.bottleneck, "boards": run.boards,
            }
            for run, entry, student in session.execute(query)
        ]
    return pd.DataFrame(rows, columns=empty_runs().columns) if rows else empty_runs()


def final_runs(store: Store, challenge: str, board: str) -> pd.DataFrame:
    """Final-seed runs of the entries frozen for `board`, restricted to that board."""
    with store.session() as session:
        selected = session.scalars(
            select(FinalSelection.entry_id).where(FinalSelection.challenge == challenge, FinalSelection.board == board)
        ).all()
        references = session.scalars(
            select(Entry.id).where(Entry.challenge == challenge, Entry.reference_label.is_not(None))
        ).all()
    runs = load_runs(store, challenge, FINAL, entry_ids=set(selected) | set(references))
    if runs.empty:
        return runs
    # a frozen entry stands on the board it was selected for, even if its final run differs
    frozen = set(selected)
    runs["boards"] = [board if entry in frozen else boards for entry, boards in zip(runs["entry_id"], runs["boards"])]
    return runs


def ranked_board(store: Store, challenge: str, board: str, stage: str = PUBLIC) -> pd.DataFrame:
    """The ranked numbers of a board (no visibility rules: callers check them)."""
    check_challenge(challenge)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; use 'public' or 'final'")
    runs = load_runs(store, challenge, PUBLIC) if stage == PUBLIC else final_runs(store, challenge, board)
    return build_board(runs, challenge, board)


def board_view(store: Store, challenge: str, board: str, stage: str = PUBLIC, viewer: Viewer | None = None) -> BoardView:
    """The board as `viewer` sees it; a student asking for an unrevealed final board gets `hidden`."""
    viewer = viewer or Viewer("", instructor=False)
    notice = ""
    if stage == FINAL:
        info = seed_info(store, challenge)
        if not info.final_revealed:
            if not viewer.instructor:
                ranked = build_board(empty_runs(), challenge, board)
                return BoardView(challenge, board, stage, viewer, display_table(ranked, challenge, viewer, store),
                                 ranked, hidden=True,
                                 notice="The final board is hidden until the instructor reveals it after the deadline.")
            notice = ("Preview for instructors: students cannot see this final board until you reveal it."
                      if info.final_queued_at else "Final scoring has not been started yet.")
    ranked = ranked_board(store, challenge, board, stage)
    return BoardView(challenge, board, stage, viewer, display_table(ranked, challenge, viewer, store), ranked,
                     notice=notice)


def display_table(ranked: pd.DataFrame, challenge: str, viewer: Viewer, store: Store | None = None) -> pd.DataFrame:
    """Strings, one column per table column, in display order."""
    zone = store.config.day_timezone if store else "UTC"
    time_column = f"submitted ({zone})"
    columns = ["rank"]
    columns += ["name", "hub user", "pseudonym"] if viewer.instructor else ["name"]
    columns += ["score", "± (stderr)"]
    if challenge == "autoencoder":
        columns += ["held-out cost", "held-out ±", "bottleneck"]
    columns += [time_column, "note"]
    if viewer.instructor:
        columns += ["entry"]
    records = []
    for row in ranked.itertuples(index=False):
        reference = bool(row.is_reference)
        cells = {
            "rank": "" if reference or pd.isna(row.rank) else str(int(row.rank)),
            "score": number(row.score),
            "± (stderr)": number(row.score_stderr, 2),
            "held-out cost": number(row.heldout_cost),
            "held-out ±": number(row.heldout_cost_stderr, 2),
            "bottleneck": "" if pd.isna(row.bottleneck) else str(int(row.bottleneck)),
            time_column: row.received_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M"),
            "entry": str(int(row.entry_id)),
        }
        if reference:
            cells.update({"name": row.reference_label, "hub user": "", "pseudonym": "", "note": "reference"})
        else:
            cells.update({
                "name": (row.real_name or row.student) if viewer.instructor else row.pseudonym,
                "hub user": row.student,
                "pseudonym": row.pseudonym,
                "note": "you" if row.student == viewer.name and not viewer.instructor else "",
            })
        records.append([cells[column] for column in columns])
    return pd.DataFrame(records, columns=columns, dtype=object)


def number(value, digits: int = 5) -> str:
    """Significant digits (5 for means, 2 for errors): identical in the page and the CSV."""
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.{digits}g}"


def student_runs(store: Store, challenge: str, student: str, stage: str = PUBLIC) -> pd.DataFrame:
    """Every finished or queued run of one student's entries (for their page and progress plot)."""
    with store.session() as session:
        rows = [
            {
                "entry_id": entry.id, "run_id": run.id, "received_at": entry.received_at, "status": run.status,
                "accepted": run.accepted, "score": run.score, "score_stderr": run.score_stderr,
                "heldout_cost": run.heldout_cost, "boards": run.boards, "message": run.message,
                "rejection_reason": run.rejection_reason,
            }
            for run, entry in session.execute(
                select(ScoredRun, Entry)
                .join(Entry, ScoredRun.entry_id == Entry.id)
                .where(Entry.student_name == student, Entry.challenge == challenge, ScoredRun.stage == stage)
                .order_by(Entry.received_at, Entry.id)
            )
        ]
    columns = ["entry_id", "run_id", "received_at", "status", "accepted", "score", "score_stderr", "heldout_cost",
               "boards", "message", "rejection_reason"]
    return pd.DataFrame(rows, columns=columns)
