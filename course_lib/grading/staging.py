"""Read a submitted notebook as hostile bytes and repair it into one nbgrader can grade.

Everything here happens before nbgrader sees a submission. A notebook is bounded in size,
JSON nesting and number length *before* it is decoded; its nbgrader metadata is rebuilt
from the released notebook (a student's metadata is never trusted); released cells the
student deleted are put back. Whatever cannot be repaired ends as a reason, never an
exception: the caller grades a stand-in that carries the reason, so every submission ends
graded with a message.

`stage_submission` puts a submission's files and repaired notebooks into a private folder that
nbgrader then reads; ``submitted/`` itself is never changed.
"""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import nbformat.reader
import numpy as np

from ..sandbox.files import copy_regular_files, read_regular

NOTEBOOK_LIMIT = 32 * 2**20  # bytes
DEPTH_LIMIT = 64  # JSON nesting; a notebook needs about 8, rich outputs and widget state a few more
DIGITS_LIMIT = 1000  # digits of one JSON number (Python refuses to convert an integer of more than 4300)
ITEMS_LIMIT = 1_000_000  # JSON values (an honest notebook has a few thousand): bounds the decoded objects' memory
CELLS_LIMIT = 2000  # course notebooks have fewer than 100; each cell costs validation and grading time
_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)
_COMMA, _QUOTE, _BACKSLASH = ord(","), ord('"'), ord("\\")


class Unreadable(ValueError):
    """Why a submitted notebook cannot be graded as submitted (shown to the student)."""


def json_shape(raw: bytes, depth_limit: int = DEPTH_LIMIT) -> tuple[int, int, int]:
    """(deepest nesting, number of values, longest number) of the JSON in ``raw``, without decoding it.

    Bytes inside strings are skipped (a quote ends a string unless an odd number of backslashes
    precedes it); values are counted by separators and containers, which bounds the objects a
    decoder would build; a number's length is its longest run of digits. NumPy over 256 kB
    chunks: fast, and memory stays small.
    """
    deepest, depth, items, longest = 0, 0, 1, 0
    quoted, backslashes, digits = 0, 0, 0  # carried across chunks: inside a string?, runs reaching the chunk
    view = np.frombuffer(raw, np.uint8)
    for start in range(0, len(view), 2**18):
        marks = view[start:start + 2**18]
        run = _runs_before(marks == _BACKSLASH, backslashes)
        quotes = (marks == _QUOTE) & (run % 2 == 0)
        outside = (quoted + np.cumsum(quotes) - quotes) % 2 == 0
        opens = np.isin(marks, _OPEN) & outside
        levels = depth + np.cumsum(opens.astype(np.int64) - (np.isin(marks, _CLOSE) & outside))
        items += int(np.count_nonzero(opens)) + int(np.count_nonzero((marks == _COMMA) & outside))
        deepest, depth = max(deepest, int(levels.max())), int(levels[-1])
        number = (marks >= ord("0")) & (marks <= ord("9")) & outside
        ending = _runs_before(number, digits, through=True)
        longest = max(longest, int(ending.max()))
        quoted = (quoted + int(np.count_nonzero(quotes))) % 2
        backslashes = int(_runs_before(marks == _BACKSLASH, backslashes, through=True)[-1])
        digits = int(ending[-1])
        if deepest > depth_limit:
            break
    return deepest, items, longest


def _runs_before(flags: np.ndarray, carried: int, through: bool = False) -> np.ndarray:
    """For each position, how many flagged bytes come right before it (``through``: up to and including it)."""
    where = np.arange(len(flags))
    plain = np.maximum.accumulate(np.where(flags, -1, where))  # the last unflagged position so far
    ending = where - plain + np.where(plain < 0, carried, 0)  # flagged bytes ending here, inclusive
    if through:
        return ending
    return np.concatenate(([carried], ending[:-1]))


def decode(raw: bytes, name: str) -> dict:
    """The JSON object in ``raw``, or Unreadable naming the problem; bounded before decoding."""
    if len(raw) > NOTEBOOK_LIMIT:
        raise Unreadable(f"{name} is {len(raw) / 2**20:.0f} MB; notebooks larger than {NOTEBOOK_LIMIT // 2**20} MB are not graded")
    depth, items, digits = json_shape(raw)
    if depth > DEPTH_LIMIT:
        raise Unreadable(f"{name} is nested more than {DEPTH_LIMIT} levels deep (JSON arrays and objects)")
    if items > ITEMS_LIMIT:
        raise Unreadable(f"{name} holds {items} JSON values; notebooks with more than {ITEMS_LIMIT} are not graded")
    if digits > DIGITS_LIMIT:
        raise Unreadable(f"{name} is not readable: it holds a number with {digits} digits (at most {DIGITS_LIMIT} are read)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unreadable(f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise Unreadable(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise Unreadable(f"{name} is JSON but not a Jupyter notebook")
    return data


def _grade_id(cell) -> str | None:
    grading = cell.get("metadata", {}).get("nbgrader")
    grade_id = grading.get("grade_id") if isinstance(grading, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _retype(cell: nbformat.NotebookNode, cell_type: str) -> None:
    """Give ``cell`` the released cell type, with the fields that type needs."""
    cell.cell_type = cell_type
    if cell_type == "code":
        cell.pop("attachments", None)
        cell.outputs, cell.execution_count = [], None
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def rebuild_grading_metadata(nb: nbformat.NotebookNode, release: nbformat.NotebookNode) -> None:
    """Every cell's nbgrader metadata becomes the release's for its grade id, or none at all.

    Grade, solution, locked, points, schema and cell type come from the release whatever the
    student's copy says. A grade id claimed by several cells stays with the last of them (the
    others become ordinary cells); a cell whose grade id the release does not know is an
    ordinary cell.
    """
    released = {gid: cell for cell in release.cells if (gid := _grade_id(cell))}
    owner = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell)
        cell.metadata.pop("nbgrader", None)
        if grade_id in released:
            owner[grade_id] = index
    for grade_id, index in owner.items():
        cell, source = nb.cells[index], released[grade_id]
        cell.metadata["nbgrader"] = copy.deepcopy(source.metadata["nbgrader"])
        if cell.cell_type != source.cell_type:
            _retype(cell, source.cell_type)


def restore_missing_cells(nb: nbformat.NotebookNode, release: nbformat.NotebookNode) -> None:
    """Put back the released nbgrader cells a student deleted, each after its released predecessor.

    (nbgrader's own add_missing_cells fails when a deleted check cell's solution cell is gone too.)
    """
    present = {_grade_id(c) for c in nb.cells} - {None}
    previous = None
    for cell in release.cells:
        grade_id = _grade_id(cell)
        if grade_id is None:
            continue
        if grade_id not in present:
            at = next((i + 1 for i, c in enumerate(nb.cells) if previous and _grade_id(c) == previous), 0)
            nb.cells.insert(at, copy.deepcopy(cell))
            nb.cells[at]["id"] = nbformat.v4.new_code_cell().id
            present.add(grade_id)
        previous = grade_id


def _normalise_cells(nb: nbformat.NotebookNode, name: str) -> None:
    """Cells of a known type with text sources, a metadata dict, unique ids and the fields nbgrader reads."""
    if not isinstance(nb.get("cells"), list) or any(not isinstance(c, dict) or "cell_type" not in c for c in nb.cells):
        raise Unreadable(f"{name} has malformed cells")
    seen_ids: set = set()
    for cell in nb.cells:
        if cell.cell_type not in ("code", "markdown", "raw"):
            raise Unreadable(f"{name} has a cell of unknown type {str(cell.cell_type)[:40]!r}")
        if not isinstance(cell.get("source", ""), str):
            cell.source = "".join(map(str, cell.source)) if isinstance(cell.source, list) else str(cell.source)
        if not isinstance(cell.get("metadata"), dict):
            cell.metadata = nbformat.NotebookNode()
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or cell_id in seen_ids:
            cell["id"] = nbformat.v4.new_code_cell().id
        seen_ids.add(cell["id"])
        if cell.cell_type == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)


def _repair(data: dict, release: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    from nbgrader.nbgraderformat import MetadataValidator

    sheets = data.get("worksheets") if isinstance(data.get("worksheets"), list) else [data]
    cells = sum(len(s["cells"]) for s in sheets if isinstance(s, dict) and isinstance(s.get("cells"), list))
    if cells > CELLS_LIMIT:  # checked before nbformat validates every cell
        raise Unreadable(f"{name} has {cells} cells; notebooks with more than {CELLS_LIMIT} cells are not graded")
    try:  # nbformat.reads without parsing the text again: the decoded strings are shared, not copied
        major, minor = nbformat.reader.get_version(data)
        if major not in nbformat.versions:
            raise nbformat.NBFormatError(f"unsupported nbformat version {str(major)[:20]}")
        nb = nbformat.convert(nbformat.versions[major].to_notebook_json(data, minor=minor), 4)
    except Exception as exc:  # nbformat raises many kinds for broken notebooks
        raise Unreadable(f"{name} is not a readable Jupyter notebook ({type(exc).__name__}: {str(exc)[:200]})") from None
    if not isinstance(nb.get("metadata"), dict):
        nb.metadata = nbformat.NotebookNode()
    _normalise_cells(nb, name)
    rebuild_grading_metadata(nb, release)
    restore_missing_cells(nb, release)
    try:
        nbformat.validate(nb)
        MetadataValidator().validate_nb(nb)
    except Exception as exc:
        raise Unreadable(f"{name} is not a valid notebook ({str(exc).splitlines()[0][:200]})") from None
    return nb


def read_submitted_notebook(path: Path, release: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode | None, str]:
    """(notebook ready for nbgrader, "") or (None, why it cannot be graded); never raises for its content."""
    name = path.name
    if path.is_symlink():
        return None, f"{name} is a symbolic link, not a notebook"
    if not path.exists():
        return None, f"the submission has no {name}"
    size = path.stat().st_size
    if size > NOTEBOOK_LIMIT:
        return None, f"{name} is {size / 2**20:.0f} MB; notebooks larger than {NOTEBOOK_LIMIT // 2**20} MB are not graded"
    raw = read_regular(path, NOTEBOOK_LIMIT)
    if raw is None:
        return None, f"{name} is not a regular file"
    return repair_notebook(raw, release, name)


def repair_notebook(raw: bytes, release: nbformat.NotebookNode, name: str) -> tuple[nbformat.NotebookNode | None, str]:
    """The bytes of a submitted notebook as one nbgrader can grade, or (None, the reason)."""
    try:
        return _repair(decode(raw, name), release, name), ""
    except Unreadable as exc:
        return None, str(exc)
    except Exception as exc:  # a shape nothing above foresaw (RecursionError included): still a graded outcome
        detail = (str(exc).splitlines() or [""])[0][:200]
        return None, f"{name} could not be read ({type(exc).__name__}{': ' + detail if detail else ''})"


def stand_in(release: nbformat.NotebookNode, reason: str) -> nbformat.NotebookNode:
    """The released notebook with ``reason`` on top; grading gives it 0 (`Staged.unreadable` carries the reason)."""
    nb = copy.deepcopy(release)
    shown = re.sub(r"([\\`*_{}\[\]<>()#+!|~-])", r"\\\1", html.escape(reason, quote=False))  # text, never markup
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(
        f"**Your submission could not be graded as submitted: {shown}.** Every autograded task "
        "scores 0. Ask your instructor if you think this is wrong; your submitted file is kept unchanged."
    ))
    return nb


STAGED_TOTAL = 1024 * 2**20  # bytes of a submission's other files that reach grading


@dataclass
class Staged:
    """What staging found: notes for the instructor, and the notebooks graded as stand-ins (name -> reason)."""

    notes: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)

    @property
    def skipped_files(self) -> list[str]:
        return [n.removeprefix("file skipped: ") for n in self.notes if n.startswith("file skipped: ")]


def stage_submission(source: Path, target: Path, release_dir: Path, notebooks: list[str], max_file_bytes: int) -> Staged:
    """Copy the submission in `source` into `target` for nbgrader: regular files only, notebooks repaired."""
    staged = Staged()
    try:
        report = copy_regular_files(source, target, max_file_bytes, STAGED_TOTAL,
                                    skip=lambda rel: rel.endswith(".ipynb") and "/" not in rel)
        staged.notes += [f"file skipped: {s}" for s in report.skipped]
    except Exception as exc:  # a folder tree nothing can walk (too deep, unreadable): the notebooks still count
        target.mkdir(parents=True, exist_ok=True)
        staged.notes.append(f"file skipped: the submission's other files could not be copied ({type(exc).__name__})")
    for name in notebooks:
        release_path = release_dir / f"{name}.ipynb"
        if not release_path.is_file():
            raise FileNotFoundError(f"{release_path} is missing; run `nbgrader generate_assignment` again")
        release = nbformat.read(release_path, as_version=4)
        try:
            nb, reason = read_submitted_notebook(source / f"{name}.ipynb", release)
            text = nbformat.writes(nb) if nb is not None else None
        except Exception as exc:  # (an OSError reading it, say): still a graded outcome
            reason, text = f"{name}.ipynb could not be read ({type(exc).__name__})", None
        if text is None:
            staged.notes.append(reason)
            staged.unreadable[name] = reason
            text = nbformat.writes(stand_in(release, reason))
        (target / f"{name}.ipynb").write_text(text, encoding="utf-8")
    return staged
