"""The final board: freeze each student's best public entries and score them on the final seed.

After the deadline the instructor calls `start_final_scoring(store, challenge)`:

1. for every board and student, the student's best public entry at that moment is frozen as a
   `FinalSelection` (later submissions no longer change it);
2. each selected entry, and each reference entry, gets a queued run on the challenge's final
   seed (one run per entry even if it stands on several boards);
3. the worker scores those runs like any other.

The final board ranks those final-seed runs by the same rules. It stays hidden from students
until `seeds.reveal_final` (the instructor's reveal), which also reveals the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from course_lib.leaderboard.boards import load_runs
from course_lib.leaderboard.ranking import BOARDS, best_per_student, board_rows
from course_lib.leaderboard.schema import FINAL, Entry, FinalSelection, ScoredRun
from course_lib.leaderboard.seeds import check_challenge, seed_row
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import queue_run


@dataclass(frozen=True)
class FinalScoringStarted:
    challenge: str
    selections: int  # (board, student) pairs frozen
    queued_runs: int  # final-seed runs newly queued


def start_final_scoring(store: Store, challenge: str) -> FinalScoringStarted:
    """Freeze the best public entries and queue their final-seed runs (refused after the reveal)."""
    check_challenge(challenge)
    public = load_runs(store, challenge)
    selected: list[tuple[str, str, int]] = []
    for board in BOARDS[challenge]:
        best = best_per_student(board_rows(public, board), challenge)
        best = best[~best["is_reference"]] if not best.empty else best
        selected += [(board, student, int(entry)) for student, entry in zip(best["student"], best["entry_id"])]
    with store.session() as session:
        seeds = seed_row(session, challenge, store.now())
        if seeds.final_revealed_at is not None:
            raise ValueError(f"the final board of {challenge} is already revealed; it cannot be frozen again")
        session.execute(delete(FinalSelection).where(FinalSelection.challenge == challenge))
        for board, student, entry_id in selected:
            session.add(FinalSelection(challenge=challenge, board=board, student_name=student, entry_id=entry_id,
                                       selected_at=store.now()))
        references = session.scalars(
            select(Entry.id).where(Entry.challenge == challenge, Entry.reference_label.is_not(None))
        ).all()
        already = set(session.scalars(
            select(ScoredRun.entry_id).join(Entry).where(Entry.challenge == challenge, ScoredRun.stage == FINAL)
        ).all())
        queued = 0
        for entry_id in sorted({entry for _, _, entry in selected} | set(references)):
            if entry_id not in already:
                queue_run(session, store, session.get(Entry, entry_id), FINAL)
                queued += 1
        seeds.final_queued_at = store.now()
    return FinalScoringStarted(challenge, len(selected), queued)
