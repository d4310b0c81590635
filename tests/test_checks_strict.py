"""Answers of the wrong type fail a numeric check with a message naming the type; real numbers pass.

A check must never convert an answer: a complex number would lose its imaginary part and a
string would be parsed as the number it spells, and both would score.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.grading.checks import as_array, as_float, relative_error

WRONG_TYPES = {
    "complex": (3 + 0j, "complex"),
    "complex array": (np.array([1 + 2j, 3 + 0j]), "an array of complex numbers"),
    "0-d complex array": (np.asarray(2.5 + 0j), "an array of complex numbers"),
    "numpy complex scalar": (np.complex128(1.0), "complex128"),
    "string": ("3.0", "str"),
    "list of strings": (["1", "2"], "an array of strings"),
    "string array": (np.array(["1.5"]), "an array of strings"),
    "mixed list": ([1.0, "2"], "an array of strings"),
    "bytes": (b"3", "bytes"),
    "bytearray": (bytearray(b"12"), "bytearray"),
    "object": (object(), "object"),
    "None": (None, "NoneType"),
    "dict": ({"value": 1.0}, "dict"),
    "ragged list": ([1.0, [2.0, 3.0]], "ragged list"),
    "integer beyond int64": ([10**30], "an array of Python objects"),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_a_wrong_type_fails_with_a_message_naming_it(case):
    value, named = WRONG_TYPES[case]
    for check in (lambda v: as_array(v, "answer"), lambda v: as_float(v, "answer")):
        with pytest.raises(AssertionError) as failure:
            check(value)
        assert str(failure.value).startswith("`answer` must be real numbers")
        assert named in str(failure.value)


@pytest.mark.parametrize("case", ["complex", "string", "list of strings", "object", "bytes"])
def test_a_numeric_check_scores_a_wrong_type_zero_even_when_its_value_is_right(case):
    """The check of a task whose right answer is 3.0 (or [1, 2]): the wrong type fails it."""
    value, _ = WRONG_TYPES[case]

    def check_three(answer) -> bool:
        try:
            return abs(as_float(answer, "answer") - 3.0) < 1e-9
        except AssertionError:
            return False

    def check_pair(answer) -> bool:
        try:
            return relative_error(as_array(answer, "answer", (2,)), np.array([1.0, 2.0])) < 1e-9
        except AssertionError:
            return False

    assert check_three(3.0) and check_pair([1, 2])  # the honest answers pass
    assert not check_three(value) and not check_pair(value)
    assert not check_pair(["1", "2"]) and not check_pair(np.array([1 + 0j, 2 + 0j]))


@pytest.mark.parametrize("value, expected", [
    (3, 3.0), (2.5, 2.5), (np.float32(1.5), 1.5), (np.int64(7), 7.0), (np.array(4.0), 4.0), ([[2.0]], 2.0),
    (True, 1.0),  # a bool is exactly 0 or 1: nothing is parsed or dropped
])
def test_real_numbers_are_accepted(value, expected):
    assert as_float(value, "answer") == expected


def test_real_arrays_and_nested_lists_are_accepted_as_floats():
    for value in ([1, 2, 3], [[1.0, 2.0], [3.0, 4.0]], np.arange(6).reshape(2, 3), np.array([1, 0], dtype=np.uint8),
                  np.array([True, False]), (1.0, 2.0)):
        array = as_array(value, "answer")
        assert array.dtype == np.float64 and np.array_equal(array, np.asarray(value, dtype=float))


def test_shape_and_finiteness_are_still_checked():
    with pytest.raises(AssertionError, match=r"has shape \(3,\), but the task asks for shape \(2,\)"):
        as_array([1, 2, 3], "answer", (2,))
    with pytest.raises(AssertionError, match="NaN or infinite"):
        as_array([1.0, np.inf], "answer")


def test_relative_error_refuses_a_string_answer():
    assert relative_error([1.0, 2.0], np.array([1.0, 2.0])) == 0.0
    with pytest.raises(AssertionError, match="not an array of strings"):
        relative_error(["1", "2"], np.array([1.0, 2.0]))
