"""Boards from the database: views per viewer, CSV export, references, the final board, plots."""

import io

import pandas as pd
import pytest

from course_lib.leaderboard.boards import Viewer, board_view, student_runs
from course_lib.leaderboard.final import start_final_scoring
from course_lib.leaderboard.plots import progress_png, score_distribution_png
from course_lib.leaderboard.references import ReferenceEntry, register_reference_entries
from course_lib.leaderboard.schema import FINAL, QUEUED, ScoredRun
from course_lib.leaderboard.seeds import hide_final, reveal_final, seed_info
from course_lib.leaderboard.submissions import submit_entry
from course_lib.leaderboard.worker import run_once, store_record

from .conftest import entry_folder, hand_record

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
STUDENT, INSTRUCTOR = Viewer("ann"), Viewer("teacher", instructor=True)


def names(view):
    return list(view.table["name"])


def test_students_see_pseudonyms_and_instructors_real_names(store, scored):
    scored("ann", "maze", 5.0, 0.1, real_name="Ann Example")
    scored("bob", "maze", 3.0, 0.1, real_name="Bob Sample")
    ann_seen = board_view(store, "maze", "maze", viewer=STUDENT)
    teacher_seen = board_view(store, "maze", "maze", viewer=INSTRUCTOR)

    shown = ann_seen.table.to_csv(index=False)
    assert "Ann Example" not in shown and "Bob Sample" not in shown and "bob" not in list(ann_seen.table["name"])
    assert list(ann_seen.table.columns) == ["rank", "name", "score", "± (stderr)", "submitted (UTC)", "note"]
    assert list(ann_seen.table["note"]) == ["you", ""]
    assert names(teacher_seen) == ["Ann Example", "Bob Sample"]
    assert list(teacher_seen.table["hub user"]) == ["ann", "bob"]
    assert list(teacher_seen.table["pseudonym"]) == names(ann_seen)
    assert list(teacher_seen.table["rank"]) == ["1", "2"] and list(teacher_seen.table["score"]) == ["5", "3"]


def test_csv_export_is_the_displayed_table(store, scored):
    scored("ann", "autoencoder", 0.021234567, 0.0004, bottleneck=3)
    scored("bob", "autoencoder", 0.0215, 0.0003)
    view = board_view(store, "autoencoder", "MEDIUM/NORMAL", viewer=INSTRUCTOR)
    parsed = pd.read_csv(io.StringIO(view.csv()), dtype=str, keep_default_na=False)
    assert parsed.equals(view.table.astype(str))
    assert list(view.table["score"]) == ["0.021235", "0.0215"]  # both tied: earlier first
    assert list(view.table["± (stderr)"]) == ["0.0004", "0.0003"]
    assert list(view.table["rank"]) == ["1", "1"] and list(view.table["bottleneck"]) == ["3", "9"]
    assert view.filename == "autoencoder-medium-normal-public.csv"


def test_hard_entries_appear_on_both_boards_and_rejected_entries_nowhere(store, scored, tmp_path):
    scored("ann", "autoencoder", 0.03, 0.001, bottleneck=2)
    scored("bob", "autoencoder", 0.02, 0.001, bottleneck=9)
    scored("cem", "autoencoder", 0.01, 0.001, bottleneck=3, training="LONG")
    rejected = submit_entry(store, "dan", "autoencoder", entry_folder(tmp_path / "x", "autoencoder"))
    store_record(store, rejected.run_id, hand_record("autoencoder", 0.001, 0.0) | {"accepted": False,
                 "rejection_reason": "bottleneck", "message": "too wide"}, exit_status=1)
    hub_users = lambda board: list(board_view(store, "autoencoder", board, viewer=INSTRUCTOR).table["hub user"])  # noqa: E731
    assert hub_users("MEDIUM/NORMAL") == ["bob", "ann"]
    assert hub_users("HARD/NORMAL") == ["ann"]
    assert hub_users("MEDIUM/LONG") == ["cem"] and hub_users("HARD/LONG") == ["cem"]


def test_reference_rows_on_every_relevant_board(store, scored, tmp_path):
    references = (
        ReferenceEntry("maze", "random policy", "random"),
        ReferenceEntry("autoencoder", "course example autoencoder", "example"),
    )
    entry_folder(tmp_path / "refs", "maze", content=b"random").rename(tmp_path / "refs" / "random")
    entry_folder(tmp_path / "refs", "autoencoder", content=b"example").rename(tmp_path / "refs" / "example")
    ids = register_reference_entries(store, references, tmp_path / "refs")
    assert register_reference_entries(store, references, tmp_path / "refs") == ids  # idempotent
    copied = submit_entry(store, "eve", "maze", tmp_path / "refs" / "random")
    assert str(copied) == "refused: invalid entry" and "reference entry (random policy)" in copied.message

    def fake_scorer(challenge, folder, *, seed, **_):
        from course_lib.leaderboard.scoring import ScoringOutcome

        return ScoringOutcome(hand_record(challenge, 1.0 if challenge == "maze" else 0.04, 0.05), 0, "")

    assert len(run_once(store, scorer=fake_scorer)) == 2
    scored("ann", "maze", 4.0, 0.1)
    scored("bob", "maze", 0.2, 0.01)
    view = board_view(store, "maze", "maze", viewer=STUDENT)
    assert list(view.table["note"]) == ["you", "reference", ""]
    assert list(view.table["rank"]) == ["1", "", "2"] and view.table["name"][1] == "random policy"
    medium = board_view(store, "autoencoder", "MEDIUM/NORMAL", viewer=STUDENT).table
    assert list(medium["name"]) == ["course example autoencoder"]
    assert board_view(store, "autoencoder", "HARD/NORMAL", viewer=STUDENT).table.empty  # bottleneck 9: not HARD


def test_a_course_can_turn_reference_rows_off(make_store, tmp_path):
    """COURSE_LEADERBOARD_REFERENCE_ROWS=0: the service's start registers none, so none is scored."""
    from sqlalchemy import func, select

    from course_lib.leaderboard.config import LeaderboardConfig
    from course_lib.leaderboard.schema import Entry

    assert LeaderboardConfig.from_env({"COURSE_ROOT": str(tmp_path)}).reference_rows is True
    for value in ("0", "no", " False ", "off"):
        assert LeaderboardConfig.from_env({"COURSE_ROOT": str(tmp_path), "COURSE_LEADERBOARD_REFERENCE_ROWS": value}).reference_rows is False
    with pytest.raises(ValueError, match=r"COURSE_LEADERBOARD_REFERENCE_ROWS must be 1 or 0 \(on or off\), not 'of'"):
        LeaderboardConfig.from_env({"COURSE_ROOT": str(tmp_path), "COURSE_LEADERBOARD_REFERENCE_ROWS": "of"})
    off = make_store(reference_rows=False)
    assert register_reference_entries(off) == {}
    with off.session() as session:
        assert session.scalar(select(func.count()).select_from(Entry)) == 0
    assert run_once(off, scorer=lambda *a, **k: pytest.fail("nothing may be scored")) == []
    on = make_store()
    assert len(register_reference_entries(on)) == 4

def test_final_board_hidden_until_revealed_and_built_from_frozen_best_entries(store, scored, clock):
    ann_best = scored("ann", "maze", 5.0, 0.1)
    scored("ann", "maze", 4.0, 0.1)
    bob_best = scored("bob", "maze", 3.0, 0.1)

    hidden = board_view(store, "maze", "maze", FINAL, viewer=STUDENT)
    assert hidden.hidden and hidden.table.empty and "hidden" in hidden.notice
    started = start_final_scoring(store, "maze")
    assert (started.selections, started.queued_runs) == (2, 2)
    scored("ann", "maze", 9.0, 0.1)  # after the freeze: not on the final board

    with store.session() as session:
        final_runs = {run.entry_id: run for run in session.query(ScoredRun).filter_by(stage=FINAL)}
        assert set(final_runs) == {ann_best, bob_best}
        assert {run.status for run in final_runs.values()} == {QUEUED}
        assert {run.seed for run in final_runs.values()} == {seed_info(store, "maze").final_seed}
        run_ids = {entry: run.id for entry, run in final_runs.items()}
    # on the final seed bob does better than ann
    store_record(store, run_ids[ann_best], hand_record("maze", 4.5, 0.1), exit_status=0)
    store_record(store, run_ids[bob_best], hand_record("maze", 6.0, 0.1), exit_status=0)

    assert board_view(store, "maze", "maze", FINAL, viewer=STUDENT).hidden
    preview = board_view(store, "maze", "maze", FINAL, viewer=INSTRUCTOR)
    assert not preview.hidden and "Preview" in preview.notice and list(preview.table["hub user"]) == ["bob", "ann"]
    reveal_final(store, "maze")
    final = board_view(store, "maze", "maze", FINAL, viewer=STUDENT)
    assert not final.hidden and list(final.table["score"]) == ["6", "4.5"] and list(final.table["note"]) == ["", "you"]
    assert list(board_view(store, "maze", "maze", viewer=STUDENT).table["score"]) == ["9", "3"]  # public moves on
    with pytest.raises(ValueError, match="already revealed"):
        start_final_scoring(store, "maze")
    hide_final(store, "maze")
    assert board_view(store, "maze", "maze", FINAL, viewer=STUDENT).hidden


def test_plots_are_png_images(store, scored):
    scored("ann", "autoencoder", 0.03, 0.001)
    scored("ann", "autoencoder", 0.02, 0.001, bottleneck=3, minutes=60 * 24)
    scored("bob", "autoencoder", 0.025, 0.002)
    view = board_view(store, "autoencoder", "MEDIUM/NORMAL", viewer=STUDENT)
    assert score_distribution_png(view.ranked, "autoencoder", "MEDIUM/NORMAL", highlight="ann").startswith(PNG_MAGIC)
    runs = student_runs(store, "autoencoder", "ann")
    assert list(runs["score"]) == [0.03, 0.02]
    assert progress_png(runs, "autoencoder", "ann").startswith(PNG_MAGIC)
    assert progress_png(runs.iloc[0:0], "maze").startswith(PNG_MAGIC)  # no entries yet
    empty = board_view(store, "maze", "maze", viewer=STUDENT)
    assert score_distribution_png(empty.ranked, "maze", "maze").startswith(PNG_MAGIC)
