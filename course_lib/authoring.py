"""Build student submissions from an assignment's source: the reference, blanks and wrong variants.

Instructors and the test suite use this to check graders end to end: the reference
submission is the released notebook with every solution region filled in from
``source/``, and a wrong variant replaces one solution cell with different code.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

_SOLUTION_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")


def strip_solution_markers(source: str) -> str:
    """The solution code as a student would have typed it: the BEGIN/END SOLUTION lines removed."""
    return "\n".join(line for line in source.split("\n") if not _SOLUTION_MARKER.match(line))


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solution_sources(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> reference source of every solution cell in an instructor notebook."""
    return {
        _grade_id(cell): strip_solution_markers(cell.source)
        for cell in source_nb.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def fill_cells(release_nb: nbformat.NotebookNode, replacements: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the student notebook with the cells named by grade_id replaced."""
    unknown = set(replacements) - {_grade_id(c) for c in release_nb.cells}
    if unknown:
        raise KeyError(f"no cell with grade_id {', '.join(sorted(unknown))} in the notebook")
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        gid = _grade_id(cell)
        if gid in replacements:
            cell.source = replacements[gid]
    return nb


def reference_submission(source_path: Path, release_path: Path, overrides: dict[str, str] | None = None):
    """The release notebook with all solutions filled in, optionally with some cells overridden."""
    source_nb = nbformat.read(source_path, as_version=4)
    release_nb = nbformat.read(release_path, as_version=4)
    return fill_cells(release_nb, {**solution_sources(source_nb), **(overrides or {})})


def parse_variant(path: Path) -> dict:
    """Read a submission variant: header lines, then the code of the one cell it replaces.

    Header lines: ``# replaces: <solution grade_id>``, ``# loses: <cells>`` where each entry is
    ``grade_id`` (all its points) or ``grade_id=points`` (that many), ``*`` means every
    autograded cell and an empty list none; ``# why: <the mistake or attack>``; optionally
    ``# base: reference|blank`` (default reference), the notebook the variant starts from;
    optionally ``# rerun: cell|notebook`` (default cell): whether swapping the one cell in a
    kernel that ran the reference shows the mistake, or only running the notebook again does
    (see ``course_lib.grading.check_graders``).
    """
    header, body = {}, []
    lines = Path(path).read_text().split("\n")
    for index, line in enumerate(lines):
        match = re.match(r"#\s*(replaces|loses|why|base|rerun):\s*(.*)$", line)
        if match:
            header[match.group(1)] = match.group(2).strip()
            continue
        body = lines[index:]
        break
    missing = {"replaces", "loses", "why"} - set(header)
    if missing:
        raise ValueError(f"{path}: the header lacks {', '.join(sorted(missing))}")
    base = header.get("base", "reference")
    if base not in ("reference", "blank"):
        raise ValueError(f"{path}: base must be 'reference' or 'blank', not {base!r}")
    rerun = header.get("rerun", "cell")
    if rerun not in ("cell", "notebook"):
        raise ValueError(f"{path}: rerun must be 'cell' or 'notebook', not {rerun!r}")
    return {
        "name": Path(path).stem,
        "replaces": header["replaces"],
        "loses": _parse_losses(header["loses"], path),
        "why": header["why"],
        "base": base,
        "rerun": rerun,
        "code": "\n".join(body).strip("\n") + "\n",
    }


def _parse_losses(text: str, path: Path) -> dict[str, float | None]:
    """'a, b=2' -> {'a': None, 'b': 2.0}; None means all of that cell's points."""
    losses: dict[str, float | None] = {}
    for entry in filter(None, (x.strip() for x in text.split(","))):
        name, _, points = entry.partition("=")
        try:
            losses[name.strip()] = float(points) if points else None
        except ValueError:
            raise ValueError(f"{path}: '{entry}' is not 'grade_id' or 'grade_id=points'") from None
    return losses


def expected_scores(max_points: dict[str, float], losses: dict[str, float | None]) -> dict[str, float]:
    """Per-cell scores a variant should earn, given each autograded cell's maximum."""
    if "*" in losses:
        return {cell: 0.0 for cell in max_points}
    unknown = set(losses) - set(max_points)
    if unknown:
        raise KeyError(f"the variant names cells that are not autograded: {', '.join(sorted(unknown))}")
    return {
        cell: pts - (pts if losses.get(cell, 0.0) is None else losses.get(cell, 0.0)) for cell, pts in max_points.items()
    }


def variant_submission(source_path: Path, release_path: Path, variant: dict) -> nbformat.NotebookNode:
    """The notebook a variant describes: its base with the one cell replaced."""
    if variant["base"] == "blank":
        return fill_cells(nbformat.read(release_path, as_version=4), {variant["replaces"]: variant["code"]})
    return reference_submission(source_path, release_path, {variant["replaces"]: variant["code"]})

