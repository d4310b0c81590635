"""Boards in pandas: one row per student (their best entry), statistical ties, reference rows.

Input: a frame of accepted scored runs with the columns of `RUN_COLUMNS`, where ``boards`` lists
the boards each run belongs on. Nothing here touches the database.

**Boards.** The autoencoder has MEDIUM/NORMAL, MEDIUM/LONG, HARD/NORMAL and HARD/LONG; an entry
whose bottleneck is at most 3 is on both HARD/x and MEDIUM/x of its training budget x (the
scorer's ``variants`` say so). The maze has one board, ``maze``.

**Best entry per student.** Lower cost is better for the autoencoder, higher mean return for the
maze. Equal scores go to the earlier submission (then the lower entry id).

**Ties (platform rule, exactly).** Students' best entries are sorted best first (equal means:
earlier submission first). Walking down that list, the first entry opens tie group 1 and is its
*leader*. Each following entry joins the current group if its mean differs from the *leader's*
mean by less than 2 * sqrt(se_leader^2 + se_entry^2) (or not at all); otherwise it opens the
next group and becomes that group's leader. Comparing with the leader, never with the
neighbour above, stops a chain of small steps from tying entries that are far apart: with
A ~ B and B ~ C but not A ~ C, A and B share rank 1 and C is ranked 3. A missing standard error
(a single run or episode) counts as 0. All entries of a group share the rank 1 + (number of
entries in better groups), so ranks go 1, 1, 3 ("competition ranking"). Within a group the
earlier submission is listed first, whatever the means.

**Reference rows** (random policy, course example autoencoder, baseline policy) are shown on
each board they qualify for, flagged ``is_reference``, with no rank; they never take a rank from
a student nor join a tie group. A reference row is listed between tie groups: after every group
whose leader is at least as good as the reference, before the first group whose leader is worse.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

BOARDS = {
    "autoencoder": ("MEDIUM/NORMAL", "MEDIUM/LONG", "HARD/NORMAL", "HARD/LONG"),
    "maze": ("maze",),
}
HIGHER_IS_BETTER = {"autoencoder": False, "maze": True}
TIE_FACTOR = 2.0

RUN_COLUMNS = [
    "run_id", "entry_id", "student", "real_name", "pseudonym", "reference_label", "challenge", "stage",
    "received_at", "score", "score_stderr", "heldout_cost", "heldout_cost_stderr", "bottleneck", "boards",
]


def empty_runs() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in RUN_COLUMNS})


def board_rows(runs: pd.DataFrame, board: str) -> pd.DataFrame:
    """The runs that belong on `board` (a run may belong on several boards)."""
    if runs.empty:
        return runs.assign(board=pd.Series(dtype="object"), is_reference=pd.Series(dtype=bool))
    on_board = runs["boards"].map(lambda boards: board in _board_list(boards))
    rows = runs[on_board].copy()
    rows["board"] = board
    rows["is_reference"] = rows["reference_label"].notna()
    return rows


def best_per_student(rows: pd.DataFrame, challenge: str) -> pd.DataFrame:
    """Each student's best row (references are kept as they are, one row per reference label)."""
    if rows.empty:
        return rows
    ordered = _sorted_best_first(rows, challenge)
    key = ordered["student"].where(~ordered["is_reference"], "reference:" + ordered["reference_label"].astype(str))
    return ordered[~key.duplicated(keep="first")].reset_index(drop=True)


def rank_board(rows: pd.DataFrame, challenge: str) -> pd.DataFrame:
    """Rank one board's rows (already one per student); adds ``rank``, ``tie_group``, ``position``.

    The result is in display order: best group first, earlier submission first within a group,
    reference rows between groups. ``rank`` and ``tie_group`` are missing (<NA>) on reference rows.
    """
    columns = list(rows.columns) + ["rank", "tie_group"]
    if rows.empty:
        out = rows.copy()
        out["rank"] = pd.Series(dtype="Int64")
        out["tie_group"] = pd.Series(dtype="Int64")
        return out[columns]
    students = _sorted_best_first(rows[~rows["is_reference"]], challenge).reset_index(drop=True)
    references = rows[rows["is_reference"]]

    groups, leaders, ranks = [], [], []
    leader_mean = leader_se = None
    for position, (mean, se) in enumerate(zip(students["score"], students["score_stderr"])):
        se = _se(se)
        if leader_mean is None or not tied(leader_mean, leader_se, mean, se):
            leader_mean, leader_se = mean, se
            leaders.append(mean)
            ranks.append(position + 1)
        groups.append(len(leaders))
    students["tie_group"] = pd.array(groups, dtype="Int64")
    students["rank"] = pd.array([ranks[group - 1] for group in groups], dtype="Int64")
    students["_order"] = students["tie_group"].astype(float)
    students = students.sort_values(["_order", "received_at", "entry_id"], kind="stable")

    references = references.copy()
    better = HIGHER_IS_BETTER[challenge]
    references["tie_group"] = pd.array([pd.NA] * len(references), dtype="Int64")
    references["rank"] = pd.array([pd.NA] * len(references), dtype="Int64")
    references["_order"] = [
        sum(1 for leader in leaders if (leader >= score if better else leader <= score)) + 0.5
        for score in references["score"]
    ]
    references["_score_key"] = -references["score"] if better else references["score"]
    references = references.sort_values(["_order", "_score_key", "reference_label"]).drop(columns="_score_key")

    ranked = pd.concat([students, references], ignore_index=True) if len(references) else students
    ranked = ranked.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return ranked[columns]


def tied(mean_a: float, se_a: float, mean_b: float, se_b: float) -> bool:
    """Two means are tied if they differ by less than 2 combined standard errors (or not at all)."""
    difference = abs(float(mean_a) - float(mean_b))
    return difference == 0 or difference < TIE_FACTOR * math.sqrt(_se(se_a) ** 2 + _se(se_b) ** 2)


def build_board(runs: pd.DataFrame, challenge: str, board: str) -> pd.DataFrame:
    """All of it: rows on `board`, best per student, ranked in display order."""
    if board not in BOARDS[challenge]:
        raise ValueError(f"{challenge} has no board {board!r}; its boards are {', '.join(BOARDS[challenge])}")
    return rank_board(best_per_student(board_rows(runs, board), challenge), challenge)


def _sorted_best_first(rows: pd.DataFrame, challenge: str) -> pd.DataFrame:
    key = rows["score"].astype(float)
    rows = rows.assign(_key=-key if HIGHER_IS_BETTER[challenge] else key)
    return rows.sort_values(["_key", "received_at", "entry_id"], kind="stable").drop(columns="_key")


def _se(value) -> float:
    if value is None:
        return 0.0
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if np.isnan(value) else value


def _board_list(boards) -> list[str]:
    if isinstance(boards, str):
        return [board for board in boards.split(",") if board]
    return list(boards or [])
