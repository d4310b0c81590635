"""Hidden graders for lecture01. Inputs come from the secret seed via ``rng``."""

import numpy as np
import pytest

from course_lib.data import xor_target
from course_lib.grading.checks import as_array, as_float, as_network
from course_lib.nn import apply_net

AXIS_MARGIN = 0.05


def _off_axis_points(rng, n=4000):
    points = rng.uniform(-1, 1, size=(n, 2))
    return points[np.all(np.abs(points) >= AXIS_MARGIN, axis=1)]


def _network(student, prefix, n_in=2, n_out=1):
    return as_network(
        student.value(f"{prefix}_weights"),
        student.value(f"{prefix}_biases"),
        student.value(f"{prefix}_activations"),
        prefix,
        n_in,
        n_out,
    )


@pytest.mark.grade_cell("xor_deep", weight=1)
def test_deep_network_is_well_formed(student):
    """the deep XOR network has 2 inputs, 1 output and matching layer shapes"""
    _network(student, "xor_deep")


@pytest.mark.grade_cell("xor_deep", weight=2)
def test_deep_network_computes_xor(student, rng):
    """the deep network outputs 1 where y1*y2 < 0 and 0 elsewhere (within 0.1)"""
    ws, bs, acts = _network(student, "xor_deep")
    points = _off_axis_points(rng)
    out = apply_net(points, ws, bs, acts)
    close = np.abs(out - xor_target(points)) < 0.1
    assert np.mean(close) >= 0.98, (
        f"the output is within 0.1 of the XOR target on only {100 * np.mean(close):.0f}% of the test points (98% needed)"
    )


@pytest.mark.grade_cell("xor_single", weight=1)
def test_single_network_has_one_hidden_layer(student):
    """the single-layer XOR network has exactly one hidden layer"""
    ws, _, _ = _network(student, "xor_single")
    assert len(ws) == 2, f"the network has {len(ws) - 1} hidden layers; this task asks for exactly one"


@pytest.mark.grade_cell("xor_single", weight=2)
def test_single_network_classifies_xor(student, rng):
    """the one-hidden-layer network classifies at least 95% of points correctly (threshold 0.5)"""
    ws, bs, acts = _network(student, "xor_single")
    assert len(ws) == 2, "the network must have exactly one hidden layer"
    points = _off_axis_points(rng)
    predicted = apply_net(points, ws, bs, acts) > 0.5
    accuracy = np.mean(predicted == (xor_target(points) > 0.5))
    assert accuracy >= 0.95, f"{100 * accuracy:.0f}% of the test points are classified correctly (95% needed)"


def _exact_gradient(theta, x, y):
    return np.mean((np.sin(theta * x) - y) * np.cos(theta * x) * x)


@pytest.mark.grade_cell("cost_gradient")
def test_cost_gradient_matches_derivative(student, rng):
    """cost_gradient(theta, x, y) equals dC/dtheta for random samples"""
    for size in (1, 7, 200):
        theta = rng.uniform(0.5, 12.0)
        x = rng.uniform(-2, 2, size=size)
        y = np.sin(rng.uniform(2.5, 3.5) * x) + 0.1 * rng.normal(size=size)
        got = as_float(student.call("cost_gradient", theta, x, y), "cost_gradient(...)")
        want = _exact_gradient(theta, x, y)
        assert abs(got - want) <= 1e-6 * max(1.0, abs(want)), (
            f"cost_gradient is wrong for a sample of {size} points (compare with a finite difference)"
        )


def _slopes(thetas, x, y):
    """`_exact_gradient` for many thetas at once (one row of the grid each)."""
    phase = np.outer(thetas, x)
    return np.mean((np.sin(phase) - y) * np.cos(phase) * x, axis=1)


def _true_minima(omega, low=0.5, high=12.0):
    """Local minima of the dense cost, found on a fine grid and polished with Newton-free bisection on the slope."""
    x = np.linspace(-2, 2, 2001)
    y = np.sin(omega * x)
    # adjacent extrema of the cost lie at least 0.07 apart in theta (|x| <= 2, omega in [2.5, 3.5]), so a
    # 0.025 grid never holds two sign changes of the slope in one step; it gives the 0.005 grid's roots
    grid = np.linspace(low, high, 461)
    slope = np.concatenate([_slopes(chunk, x, y) for chunk in np.array_split(grid, 8)])
    roots = []
    for i in np.where((slope[:-1] < 0) & (slope[1:] >= 0))[0]:
        a, b = grid[i], grid[i + 1]
        for _ in range(40):
            mid = 0.5 * (a + b)
            a, b = (mid, b) if _exact_gradient(mid, x, y) < 0 else (a, mid)
        roots.append(0.5 * (a + b))
    return np.array(roots)


def _student_minima(student, omega):
    return np.sort(as_array(student.call("local_minima", omega, timeout=90), "local_minima(omega)", (None,)))


@pytest.mark.grade_cell("local_minima", weight=1)
def test_local_minima_include_global_minimum(student, rng):
    """local_minima(omega) contains the global minimum"""
    for omega in rng.uniform(2.5, 3.5, size=2):
        found = _student_minima(student, omega)
        assert found.size and np.min(np.abs(found - omega)) <= 0.02, "the global minimum is missing from the result"


@pytest.mark.grade_cell("local_minima", weight=2)
def test_local_minima_are_all_and_only_minima(student, rng):
    """local_minima(omega) returns every local minimum in the range once, and nothing else"""
    for omega in rng.uniform(2.5, 3.5, size=2):
        found, truth = _student_minima(student, omega), _true_minima(omega)
        spurious = [t for t in found if np.min(np.abs(truth - t)) > 0.02]
        assert not spurious, f"{len(spurious)} returned value(s) are not local minima of the cost"
        missed = [t for t in truth if np.min(np.abs(found - t)) > 0.02] if found.size else list(truth)
        assert not missed, f"{len(missed)} local minimum/minima in the range were not found"
        assert len(found) == len(truth), "some minima are listed more than once"
