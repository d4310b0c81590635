"""The staging repair on random and hostile notebooks: a clean outcome, never an exception.

Whatever bytes a student submits, ``repair_notebook`` returns either a notebook nbgrader can
grade (nbformat-valid, nbgrader-valid, every cell's nbgrader metadata exactly the release's
for its grade id, every released grade id present once) or a reason to grade a stand-in.
Hypothesis generates the submissions from lecture01's honest reference: edited metadata of
every kind, swapped cell types, duplicated and deleted cells, deep nesting, huge integers and
random bytes. The memory test feeds notebooks at the size limit that are built to be
expensive to decode.
"""

from __future__ import annotations

import copy
import json
import re
import tracemalloc
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbgrader.nbgraderformat import MetadataValidator

from course_lib.authoring import reference_submission
from course_lib.grading.staging import DEPTH_LIMIT, DIGITS_LIMIT, NOTEBOOK_LIMIT, json_shape, repair_notebook, stand_in

REPO = Path(__file__).resolve().parents[1]
RELEASE = nbformat.read(REPO / "release" / "lecture01" / "lecture01.ipynb", as_version=4)
HONEST = json.loads(nbformat.writes(reference_submission(REPO / "source" / "lecture01" / "lecture01.ipynb",
                                                         REPO / "release" / "lecture01" / "lecture01.ipynb")))
RELEASED = {c.metadata["nbgrader"]["grade_id"]: c for c in RELEASE.cells if "nbgrader" in c.metadata}
NAME = "lecture01.ipynb"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
grade_ids = st.sampled_from(sorted(RELEASED)) | st.text(max_size=12)
nbgrader_fields = {
    "grade": st.booleans() | json_values, "solution": st.booleans() | json_values, "locked": st.booleans() | json_values,
    "task": st.booleans() | json_values, "points": st.integers(-5, 10**6) | json_values, "grade_id": grade_ids | json_values,
    "schema_version": st.sampled_from([0, 1, 2, 3, 4]) | json_values, "checksum": st.text(max_size=32),
    "cell_type": st.sampled_from(["code", "markdown", "raw"]) | json_values,
}
edits = st.one_of(
    st.tuples(st.just("nbgrader field"), st.integers(0, 200), st.sampled_from(sorted(nbgrader_fields)), st.data()),
    st.tuples(st.just("nbgrader"), st.integers(0, 200), json_values),
    st.tuples(st.just("metadata"), st.integers(0, 200), json_values),
    st.tuples(st.just("cell_type"), st.integers(0, 200), st.sampled_from(["code", "markdown", "raw", "heading"]) | json_values),
    st.tuples(st.just("field"), st.integers(0, 200), st.sampled_from(["source", "outputs", "execution_count", "id",
                                                                     "attachments"]), json_values),
    st.tuples(st.just("duplicate"), st.integers(0, 200), st.integers(0, 200)),
    st.tuples(st.just("delete"), st.integers(0, 200)),
    st.tuples(st.just("notebook metadata"), st.text(max_size=12), json_values),
)


def apply(nb: dict, edit: tuple) -> None:
    kind, cells = edit[0], nb["cells"]
    if kind == "notebook metadata":
        nb["metadata"][edit[1]] = edit[2]
        return
    if not cells:
        return
    cell = cells[edit[1] % len(cells)]
    if kind == "nbgrader field":
        field, data = edit[2], edit[3]
        meta = cell.setdefault("metadata", {})
        if not isinstance(meta, dict):
            return
        grading = meta.setdefault("nbgrader", {})
        if isinstance(grading, dict):
            grading[field] = data.draw(nbgrader_fields[field])
    elif kind == "nbgrader":
        if isinstance(cell.get("metadata"), dict):
            cell["metadata"]["nbgrader"] = edit[2]
    elif kind == "metadata":
        cell["metadata"] = edit[2]
    elif kind == "cell_type":
        cell["cell_type"] = edit[2]
    elif kind == "field":
        cell[edit[2]] = edit[3]
    elif kind == "duplicate":
        cells.insert(edit[2] % (len(cells) + 1), copy.deepcopy(cell))
    elif kind == "delete":
        cells.remove(cell)


def assert_clean_outcome(raw: bytes) -> nbformat.NotebookNode | None:
    nb, reason = repair_notebook(raw, RELEASE, NAME)
    if nb is None:
        assert isinstance(reason, str) and reason
        nbformat.validate(stand_in(RELEASE, reason))
        return None
    assert reason == ""
    nbformat.validate(nb)
    MetadataValidator().validate_nb(nb)
    claimed = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert sorted(claimed) == sorted(RELEASED), "every released grade id exactly once, nothing else"
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            released = RELEASED[cell.metadata["nbgrader"]["grade_id"]]
            assert cell.metadata["nbgrader"] == released.metadata["nbgrader"]
            assert cell.cell_type == released.cell_type
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    nbformat.reads(nbformat.writes(nb), as_version=4)  # staging writes it; nbgrader reads it back
    return nb


def test_the_honest_reference_is_kept_as_it_is():
    nb = assert_clean_outcome(json.dumps(HONEST).encode())
    assert [c.source for c in nb.cells] == ["".join(c["source"]) for c in HONEST["cells"]]
    assert [c.metadata for c in nb.cells] == [c["metadata"] for c in HONEST["cells"]]


@SETTINGS
@given(st.lists(edits, min_size=1, max_size=8))
def test_edited_cells_and_metadata_end_in_a_gradable_notebook_or_a_reason(edit_list):
    nb = copy.deepcopy(HONEST)
    for edit in edit_list:
        apply(nb, edit)
    try:
        raw = json.dumps(nb).encode()
    except ValueError:  # a float("nan") is fine JSON for Python; a few values are not serializable at all
        return
    assert_clean_outcome(raw)


@SETTINGS
@given(st.integers(0, 200), st.integers(1, 20000), st.integers(1, 200000), st.sampled_from(["outputs", "metadata"]))
def test_deep_nesting_and_huge_integers_end_in_a_reason(at, depth, digits, where):
    nb = copy.deepcopy(HONEST)
    cell = nb["cells"][at % len(nb["cells"])]
    if where == "outputs" and cell["cell_type"] == "code":
        cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                            "data": {"application/json": {"deep": "__DEEP__", "big": "__BIG__"}}}]
    else:
        cell["metadata"]["x"] = {"deep": "__DEEP__", "big": "__BIG__"}
    raw = json.dumps(nb).replace('"__DEEP__"', "[" * depth + "]" * depth).replace('"__BIG__"', "9" * digits).encode()
    graded = assert_clean_outcome(raw)
    deep_enough = json_shape(raw)[0] > DEPTH_LIMIT
    assert (graded is None) == (deep_enough or digits > DIGITS_LIMIT)


@SETTINGS
@given(st.binary(max_size=2000) | json_values.map(lambda v: json.dumps(v).encode()))
def test_random_bytes_and_random_json_end_in_a_reason(raw):
    assert_clean_outcome(raw)


@pytest.mark.parametrize("text", [
    r'["a\\", "[", "\"[", "\\\\"]', '[["\\\\\\"]"]]', '{"a": "' + "\\\\" * 300000 + '", "b": [[1]]}',
    "[" + '"\\"",' * 100000 + "[1]]", "[]", '"just a string"', '{"a": {"b": [1, {"c": []}]}}',
    '{"a": [12345, "9999999999", 1.25e10, -77]}', '["\\\\", 123456789012]', "[" + "7" * 3000 + ", 1]",
])
def test_json_shape_counts_nesting_and_digits_outside_strings_like_a_decoder(text):
    def walk(value, depth):
        if isinstance(value, (list, dict)):
            return max([depth + 1] + [walk(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)])
        return depth

    assert json_shape(text.encode())[0] == walk(json.loads(text), 0)
    numbers = re.findall(r"[0-9]+", re.sub(r'"(\\.|[^"\\])*"', '""', text))  # digit runs outside strings
    assert json_shape(text.encode())[2] == max(map(len, numbers), default=0)


HOSTILE_AT_THE_LIMIT = {
    "a million tiny cells": lambda n: json.dumps(dict(HONEST, cells=[{"cell_type": "raw", "source": "", "metadata": {}}] * (n // 64))),
    "millions of short strings": lambda n: '{"cells": [], "x": [' + '"ab",' * (n // 5) + '""]}',
    "millions of empty lists": lambda n: '{"cells": [], "x": [' + "[]," * (n // 3) + "[]]}",
    "brackets only": lambda n: "[" * n,
    "one integer": lambda n: '{"cells": [], "x": ' + "9" * (n - 30) + "}",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_AT_THE_LIMIT))
def test_notebooks_built_to_be_expensive_are_refused_before_decoding_in_bounded_memory(case):
    raw = HOSTILE_AT_THE_LIMIT[case](NOTEBOOK_LIMIT - 1024).encode()
    assert len(raw) <= NOTEBOOK_LIMIT
    tracemalloc.start()
    try:
        nb, reason = repair_notebook(raw, RELEASE, NAME)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert nb is None and reason
    assert peak < 64 * 2**20, f"{case}: {peak / 2**20:.0f} MB to refuse a {len(raw) / 2**20:.0f} MB notebook"
