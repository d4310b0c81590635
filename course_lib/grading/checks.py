"""Helpers for hidden graders: validate what came through the channel, with student-facing messages.

They hold no expectations of any assignment, only the plumbing every grader needs, so
that each ``grader_tests`` file reads as the list of checks it is.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..nn import ACTIVATIONS


def as_array(value: Any, name: str, shape: Sequence[int | None] | None = None) -> np.ndarray:
    """A finite float array of the given shape (None = any length), or AssertionError naming the problem."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"`{name}` must be numbers (an array), not {type(value).__name__}") from None
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
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    return float(np.max(np.abs(actual - expected))) / scale
