"""Plots as PNG bytes (matplotlib's object API with the Agg canvas: no pyplot, thread-safe).

- `score_distribution_png(ranked, challenge, board)`: a histogram of the students' scores on a
  board, with each reference row drawn as a labelled vertical line.
- `progress_png(runs, challenge, title)`: one student's scored entries over time, with error
  bars, and their best score so far as a step line, per board.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from course_lib.leaderboard.ranking import HIGHER_IS_BETTER

SCORE_LABEL = {"autoencoder": "cost (lower is better)", "maze": "mean return (higher is better)"}
REFERENCE_COLOURS = ("tab:red", "tab:green", "tab:purple", "tab:brown")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def score_distribution_png(
    ranked: pd.DataFrame, challenge: str, board: str, *, stage: str = "public", highlight: str | None = None
) -> bytes:
    """Histogram of student scores on one board; reference rows as dashed vertical lines.

    `highlight` (a hub user name) draws that student's own score as a solid black line.
    """
    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    axes = figure.add_subplot()
    students = ranked[~ranked["is_reference"]] if not ranked.empty else ranked
    references = ranked[ranked["is_reference"]] if not ranked.empty else ranked
    scores = students["score"].astype(float).to_numpy() if not students.empty else np.array([])
    every = np.concatenate([scores, references["score"].astype(float).to_numpy() if not references.empty else []])
    logarithmic = challenge == "autoencoder" and every.size > 0 and bool((every > 0).all())
    if scores.size:
        if logarithmic:
            low, high = every.min(), every.max()
            bins = np.geomspace(low * 0.9, high * 1.1, 20) if high > low else 10
            axes.set_xscale("log")
        else:
            bins = min(30, max(5, scores.size))
        axes.hist(scores, bins=bins, color="tab:blue", alpha=0.75, label=f"students ({scores.size})")
    else:
        axes.text(0.5, 0.5, "no student entries yet", transform=axes.transAxes, ha="center", va="center")
    for index, row in enumerate(references.itertuples(index=False)):
        colour = REFERENCE_COLOURS[index % len(REFERENCE_COLOURS)]
        axes.axvline(row.score, color=colour, linestyle="--", linewidth=1.5, label=f"{row.reference_label}: {row.score:.4g}")
    if highlight is not None and not students.empty:
        own = students[students["student"] == highlight]
        if not own.empty:
            axes.axvline(float(own["score"].iloc[0]), color="black", linewidth=2, label=f"you: {own['score'].iloc[0]:.4g}")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(SCORE_LABEL[challenge])
    axes.set_ylabel("students")
    axes.set_title(f"{challenge} {board} ({stage} board)")
    if scores.size or not references.empty:
        axes.legend(fontsize="small")
    return _png(figure)


def progress_png(runs: pd.DataFrame, challenge: str, title: str = "progress") -> bytes:
    """One student's accepted entries over time (per board), with the best-so-far line."""
    figure = Figure(figsize=(6.4, 3.6), layout="constrained")
    axes = figure.add_subplot()
    accepted = runs[runs["accepted"].fillna(False).astype(bool)] if not runs.empty else runs
    if accepted.empty:
        axes.text(0.5, 0.5, "no scored entries yet", transform=axes.transAxes, ha="center", va="center")
    else:
        better_is_higher = HIGHER_IS_BETTER[challenge]
        per_board = accepted.assign(board=accepted["boards"].str.split(",")).explode("board")
        for board, rows in per_board.groupby("board", sort=True):
            rows = rows.sort_values("received_at")
            times = pd.to_datetime(rows["received_at"]).dt.tz_convert("UTC").dt.tz_localize(None)
            scores = rows["score"].astype(float)
            errors = rows["score_stderr"].astype(float).fillna(0.0)
            line = axes.errorbar(times, scores, yerr=errors, fmt="o", capsize=3, label=board)
            best = scores.cummax() if better_is_higher else scores.cummin()
            axes.step(times, best, where="post", color=line[0].get_color(), alpha=0.6)
        if challenge == "autoencoder" and (accepted["score"].astype(float) > 0).all():
            axes.set_yscale("log")
        axes.legend(fontsize="small")
        figure.autofmt_xdate()
    axes.set_xlabel("received (UTC)")
    axes.set_ylabel(SCORE_LABEL[challenge])
    axes.set_title(title)
    return _png(figure)
