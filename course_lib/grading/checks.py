"""Helpers for hidden graders: validate what came through the channel, with student-facing messages.

They hold no expectations of any assignment, only the plumbing every grader needs, so
that each ``grader_tests`` file reads as the list of checks it is.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..nn import ACTIVATIONS


REAL_KINDS = "biuf"  # bool (exactly 0 and 1), signed and unsigned integers, floats: numbers a check may compare


def _real(value: Any, name: str) -> np.ndarray:
    """``value`` as an array of real numbers without converting text or dropping imaginary parts.

    Strings, bytes, complex numbers, ``None``, dicts and mixed or ragged lists are answers of
    the wrong type: they fail with a message naming the type instead of being parsed as numbers.
    """
    if isinstance(value, (bytearray, memoryview)):  # NumPy would read their bytes as numbers
        raise AssertionError(f"`{name}` must be real numbers, not {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):  # ragged lists
        raise AssertionError(f"`{name}` must be real numbers (a list of equal-length rows or an array), "
                             f"not a ragged {type(value).__name__}") from None
    if array.dtype.kind not in REAL_KINDS:
        what = {"c": "complex numbers", "U": "strings", "S": "bytes", "O": "Python objects"}.get(array.dtype.kind)
        inner = f"an array of {what or array.dtype}" if isinstance(value, (list, tuple, np.ndarray)) else type(value).__name__
        raise AssertionError(f"`{name}` must be real numbers, not {inner}")
    return array.astype(float)


def as_array(value: Any, name: str, shape: Sequence[int | None] | None = None) -> np.ndarray:
    """A finite float array of the given shape (None = any length), or AssertionError naming the problem."""
    array = _real(value, name)
    if shape is not None:
        ok = array.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, array.shape))
        if not ok:
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
            raise AssertionError(f"`{name}` has shape {array.shape}, but the task asks for shape {wanted}")
    if not np.all(np.isfinite(array)):
        raise AssertionError(f"`{name}` contains NaN or infinite values")
    return array


def as_float(value: Any, name: str) -> float:
    array = as_array(value, name)
    if array.size != 1:
        raise AssertionError(f"`{name}` must be a single number, got an array of shape {array.shape}")
    return float(array.reshape(()))


def as_network(weights: Any, biases: Any, activations: Any, prefix: str, n_in: int, n_out: int):
    """Check a network given as three lists (weights, biases, activation names); return them cleaned."""
    for value, what in ((weights, "weights"), (biases, "biases"), (activations, "activations")):
        if not isinstance(value, (list, tuple)):
            raise AssertionError(f"`{prefix}_{what}` must be a list with one entry per layer")
    if not (len(weights) == len(biases) == len(activations)) or not weights:
        raise AssertionError(
            f"`{prefix}_weights`, `{prefix}_biases` and `{prefix}_activations` must be non-empty lists of equal length"
        )
    ws, bs, acts = [], [], []
    width = n_in
    for layer, (w, b, act) in enumerate(zip(weights, biases, activations), start=1):
        w = as_array(w, f"{prefix}_weights[{layer - 1}]", (width, None))
        b = as_array(b, f"{prefix}_biases[{layer - 1}]", (w.shape[1],))
        if act not in ACTIVATIONS:
            raise AssertionError(f"layer {layer}: unknown activation {act!r}; use one of {sorted(ACTIVATIONS)}")
        ws.append(w), bs.append(b), acts.append(act)
        width = w.shape[1]
    if width != n_out:
        raise AssertionError(f"the last layer has {width} neurons, but the network needs {n_out} output")
    return ws, bs, acts


def relative_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """max |a - e| / max(|e|, tiny): one number that is small only when all entries agree."""
    actual, expected = _real(actual, "the answer"), np.asarray(expected, dtype=float)
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    return float(np.max(np.abs(actual - expected))) / scale


# --- exam answers: letters for multiple choice, numbers with a tolerance ---------------------------


def chosen_letters(student: Any, name: str, options: str = "abcde") -> set[str]:
    """The option letters a student set in `name` ("b", "ad", "a, d" or ["a", "d"]), case ignored."""
    value = student.value(name)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    assert isinstance(value, str), f'`{name}` must be a string of letters such as "b" or "ad"'
    letters = set(value.lower()) - set(", ")
    assert letters and letters <= set(options), f'`{name}` must contain only letters {options[0]} to {options[-1]}, such as "b" or "ad"'
    return letters


def expect_choice(student: Any, name: str, correct: str) -> None:
    what = "this is not the correct option" if len(correct) == 1 else "these are not exactly the correct options"
    assert chosen_letters(student, name) == set(correct), f"{name}: {what}"


def answer_number(student: Any, name: str) -> float:
    value = student.value(name)
    assert not isinstance(value, (str, bool)) and value is not None, f"`{name}` must be a number (not a string)"
    return as_float(value, name)


def expect_count(student: Any, name: str, correct: int) -> None:
    assert answer_number(student, name) == correct, f"{name}: the count is not correct"


def expect_real(student: Any, name: str, correct: float, tolerance: float) -> None:
    """A real number within a relative tolerance; the message states the tolerance, never the value."""
    got = answer_number(student, name)
    assert abs(got - correct) <= tolerance * abs(correct), (
        f"{name}: the value is not correct within the tolerance of {tolerance:.1%} (check sign, factors and rounding)"
    )
