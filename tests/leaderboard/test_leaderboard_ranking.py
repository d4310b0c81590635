"""Ranking rules on hand-made runs: best entry per student, statistical ties, reference rows."""

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from course_lib.leaderboard.ranking import build_board, tied

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


def runs(*rows):
    """rows: (student, score, stderr, minutes after T0, boards[, reference label])."""
    records = []
    for index, row in enumerate(rows, start=1):
        student, score, stderr, minutes, boards = row[:5]
        label = row[5] if len(row) > 5 else None
        records.append({
            "run_id": index, "entry_id": index, "student": None if label else student, "real_name": None,
            "pseudonym": None if label else f"P-{student}", "reference_label": label, "challenge": "x",
            "stage": "public", "received_at": T0 + timedelta(minutes=minutes), "score": score,
            "score_stderr": stderr, "heldout_cost": None, "heldout_cost_stderr": None, "bottleneck": None,
            "boards": boards,
        })
    return pd.DataFrame(records)


def listing(board: pd.DataFrame):
    """(name, rank) in display order; references as (label, None)."""
    return [
        (row.reference_label, None) if row.is_reference else (row.student, int(row.rank))
        for row in board.itertuples(index=False)
    ]


def test_tie_rule_is_two_combined_standard_errors():
    assert tied(1.0, 0.1, 1.28, 0.1)  # 0.28 < 2 * sqrt(0.02) = 0.283
    assert not tied(1.0, 0.1, 1.29, 0.1)
    assert tied(0.5, None, 0.5, None)  # equal means always tie
    assert not tied(0.5, None, 0.50001, None)  # no standard error: only exact equality ties


def test_tie_chain_compares_with_the_group_leader():
    """A ~ B and B ~ C, but A !~ C: C opens a new group, so the ranks are 1, 1, 3."""
    board = build_board(
        runs(
            ("a", 10.0, 0.1, 3, "maze"),
            ("b", 9.8, 0.1, 2, "maze"),  # |10 - 9.8| = 0.2 < 0.283: ties with the leader a
            ("c", 9.6, 0.1, 1, "maze"),  # |9.8 - 9.6| < 0.283 but |10 - 9.6| = 0.4: not tied with a
            ("d", 9.45, 0.1, 0, "maze"),  # ties with the new leader c (0.15), even though earliest
        ),
        "maze", "maze",
    )
    # within a tie the earlier submission is listed first: b (minute 2) before a (minute 3)
    assert listing(board) == [("b", 1), ("a", 1), ("d", 3), ("c", 3)]
    assert list(board["tie_group"]) == [1, 1, 2, 2]


def test_earlier_submission_first_within_a_tie_even_with_a_worse_mean():
    board = build_board(
        runs(("late_better", 0.0100, 0.001, 30, "MEDIUM/NORMAL"), ("early_worse", 0.0110, 0.001, 5, "MEDIUM/NORMAL")),
        "autoencoder", "MEDIUM/NORMAL",
    )
    assert listing(board) == [("early_worse", 1), ("late_better", 1)]


def test_clear_differences_get_distinct_ranks_lower_cost_first():
    board = build_board(
        runs(("b", 0.03, 0.001, 1, "MEDIUM/NORMAL"), ("a", 0.01, 0.001, 2, "MEDIUM/NORMAL"),
             ("c", 0.05, 0.001, 0, "MEDIUM/NORMAL")),
        "autoencoder", "MEDIUM/NORMAL",
    )
    assert listing(board) == [("a", 1), ("b", 2), ("c", 3)]


def test_maze_higher_return_is_better():
    board = build_board(runs(("low", 1.0, 0.01, 0, "maze"), ("high", 5.0, 0.01, 1, "maze")), "maze", "maze")
    assert listing(board) == [("high", 1), ("low", 2)]


def test_each_student_once_with_their_best_entry():
    board = build_board(
        runs(
            ("ann", 0.040, 0.001, 0, "MEDIUM/NORMAL"),
            ("ann", 0.020, 0.001, 10, "MEDIUM/NORMAL"),  # her best
            ("ann", 0.030, 0.001, 20, "MEDIUM/NORMAL"),
            ("bob", 0.025, 0.001, 5, "MEDIUM/NORMAL"),
            ("bob", 0.025, 0.001, 25, "MEDIUM/NORMAL"),  # same score later: the earlier one counts
        ),
        "autoencoder", "MEDIUM/NORMAL",
    )
    assert listing(board) == [("ann", 1), ("bob", 2)]
    assert list(board["entry_id"]) == [2, 4]


def test_hard_entries_stand_on_the_medium_board_of_their_budget_only():
    rows = runs(
        ("hard", 0.030, 0.001, 0, "HARD/NORMAL,MEDIUM/NORMAL"),
        ("medium", 0.020, 0.001, 1, "MEDIUM/NORMAL"),
        ("hardlong", 0.010, 0.001, 2, "HARD/LONG,MEDIUM/LONG"),
    )
    assert listing(build_board(rows, "autoencoder", "MEDIUM/NORMAL")) == [("medium", 1), ("hard", 2)]
    assert listing(build_board(rows, "autoencoder", "HARD/NORMAL")) == [("hard", 1)]
    assert listing(build_board(rows, "autoencoder", "MEDIUM/LONG")) == [("hardlong", 1)]
    assert listing(build_board(rows, "autoencoder", "HARD/LONG")) == [("hardlong", 1)]


def test_reference_rows_are_listed_unranked_between_tie_groups():
    board = build_board(
        runs(
            ("a", 6.0, 0.1, 0, "maze"),
            ("b", 3.0, 0.1, 1, "maze"),
            ("c", 2.9, 0.1, 2, "maze"),  # ties with b
            ("d", 0.5, 0.1, 3, "maze"),
            ("", 2.95, 0.05, 0, "maze", "course baseline policy"),  # inside b's group by value
            ("", 1.0, 0.05, 0, "maze", "random policy"),
        ),
        "maze", "maze",
    )
    # the reference never splits a tie group and never takes a rank from a student
    assert listing(board) == [("a", 1), ("b", 2), ("c", 2), ("course baseline policy", None),
                              ("random policy", None), ("d", 4)]
    assert board["rank"].isna().sum() == 2


def test_unknown_board_and_empty_board():
    with pytest.raises(ValueError, match="no board"):
        build_board(runs(), "autoencoder", "EASY/NORMAL")
    assert build_board(runs(), "maze", "maze").empty
