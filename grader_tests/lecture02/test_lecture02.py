"""Hidden graders for lecture02. Inputs come from the secret seed via ``rng``."""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, as_float, relative_error
from course_lib.nn import apply_net, cost, numerical_gradients, random_network

# ---------------------------------------------------------------------------
# 1. Backpropagation with a linear output layer
# ---------------------------------------------------------------------------

GRADIENT_RTOL = 1e-5  # finite differences with eps = 1e-6 agree to ~1e-9 here
GRADIENT_ATOL = 1e-8


def _problem(rng, sizes, batchsize):
    weights, biases = random_network(sizes, rng)
    y_in = rng.normal(0.0, 1.0, size=(batchsize, sizes[0]))
    y_target = rng.normal(0.0, 1.0, size=(batchsize, sizes[-1]))
    return y_in, y_target, weights, biases


def _trusted_gradients(y_in, y_target, weights, biases):
    activations = ["sigmoid"] * (len(weights) - 1) + ["linear"]

    def batch_cost(ws, bs):
        return cost(apply_net(y_in, ws, bs, activations), y_target)

    return numerical_gradients(batch_cost, weights, biases)


def _student_gradients(student, y_in, y_target, weights, biases):
    result = student.call("backprop_linear_output", y_in, y_target, weights, biases)
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        "backprop_linear_output must return a pair (dw, db) of two lists"
    )
    dw, db = result
    for value, what, params in ((dw, "dw", weights), (db, "db", biases)):
        assert isinstance(value, (tuple, list)), f"`{what}` must be a list with one array per layer"
        assert len(value) == len(params), (
            f"`{what}` has {len(value)} entries, but the network has {len(params)} layers"
        )
    dw = [as_array(g, f"dw[{n}]", w.shape) for n, (g, w) in enumerate(zip(dw, weights))]
    db = [as_array(g, f"db[{n}]", b.shape) for n, (g, b) in enumerate(zip(db, biases))]
    return dw, db


def _wrong_layers(actual, expected):
    """Indices of the layers whose gradients disagree with the finite differences."""
    return [
        n
        for n, (a, e) in enumerate(zip(actual, expected))
        if np.max(np.abs(a - e)) > GRADIENT_RTOL * np.max(np.abs(e)) + GRADIENT_ATOL
    ]


def _describe(layers, total):
    names = ", ".join(f"layer {n + 1}" for n in layers)
    return f"{names} (counting the {total} layers from the input; layer {total} is the linear output)"


@pytest.mark.grade_cell("linear_backprop", weight=2)
def test_weight_gradients_match_finite_differences(student, rng):
    """the weight gradients dw of a [3, 5, 4, 2] network agree with finite differences of the cost"""
    y_in, y_target, weights, biases = _problem(rng, [3, 5, 4, 2], batchsize=7)
    dw, _ = _student_gradients(student, y_in, y_target, weights, biases)
    dw_true, _ = _trusted_gradients(y_in, y_target, weights, biases)
    wrong = _wrong_layers(dw, dw_true)
    assert not wrong, f"the weight gradients are wrong in {_describe(wrong, len(weights))}"


@pytest.mark.grade_cell("linear_backprop", weight=1)
def test_bias_gradients_match_finite_differences(student, rng):
    """the bias gradients db of a [3, 5, 4, 2] network agree with finite differences of the cost"""
    y_in, y_target, weights, biases = _problem(rng, [3, 5, 4, 2], batchsize=5)
    _, db = _student_gradients(student, y_in, y_target, weights, biases)
    _, db_true = _trusted_gradients(y_in, y_target, weights, biases)
    wrong = _wrong_layers(db, db_true)
    assert not wrong, f"the bias gradients are wrong in {_describe(wrong, len(biases))}"


@pytest.mark.grade_cell("linear_backprop", weight=1)
def test_deeper_network(student, rng):
    """a deeper [2, 8, 8, 8, 3] network: all gradients agree with finite differences"""
    y_in, y_target, weights, biases = _problem(rng, [2, 8, 8, 8, 3], batchsize=6)
    dw, db = _student_gradients(student, y_in, y_target, weights, biases)
    dw_true, db_true = _trusted_gradients(y_in, y_target, weights, biases)
    wrong_w, wrong_b = _wrong_layers(dw, dw_true), _wrong_layers(db, db_true)
    assert not wrong_w, f"for the deeper network the weight gradients are wrong in {_describe(wrong_w, len(weights))}"
    assert not wrong_b, f"for the deeper network the bias gradients are wrong in {_describe(wrong_b, len(biases))}"


# ---------------------------------------------------------------------------
# 2. SGD for a single slope, C = 1/2 sum_j (w x_j - wtilde x_j)^2
# ---------------------------------------------------------------------------


def _critical(N, sigma):
    return 2.0 / (sigma**2 * (N + 2))


def _trusted_trajectory(w0, wtilde, eta, x_batches):
    w = [float(w0)]
    for x in x_batches:
        w.append(w[-1] - eta * np.sum((w[-1] - wtilde) * x**2))
    return np.array(w)


def _check_trajectory(student, rng, N, steps, eta_ratio):
    sigma = rng.uniform(0.5, 2.0)
    eta = eta_ratio * _critical(N, sigma)
    w0, wtilde = rng.normal(0.0, 2.0, size=2)
    x_batches = rng.normal(0.0, sigma, size=(steps, N))
    got = as_array(
        student.call("sgd_slope_trajectory", float(w0), float(wtilde), float(eta), x_batches),
        "sgd_slope_trajectory(...)",
        (steps + 1,),
    )
    want = _trusted_trajectory(w0, wtilde, eta, x_batches)
    assert abs(got[0] - w0) <= 1e-12 * max(1.0, abs(w0)), "the first entry must be w0, the slope before the first step"
    assert relative_error(got, want) < 1e-9, (
        f"the trajectory for batches of N = {N} samples does not follow the SGD update w <- w - eta dC/dw"
    )


@pytest.mark.grade_cell("slope_trajectory", weight=1)
def test_trajectory_small_learning_rate(student, rng):
    """sgd_slope_trajectory reproduces SGD on random batches for a learning rate below the critical one"""
    for _ in range(2):
        _check_trajectory(student, rng, N=int(rng.integers(3, 13)), steps=30, eta_ratio=rng.uniform(0.2, 0.9))


@pytest.mark.grade_cell("slope_trajectory", weight=1)
def test_trajectory_large_learning_rate(student, rng):
    """sgd_slope_trajectory reproduces SGD on random batches for other batch sizes and larger learning rates"""
    _check_trajectory(student, rng, N=2, steps=25, eta_ratio=rng.uniform(1.05, 1.5))
    _check_trajectory(student, rng, N=int(rng.integers(20, 60)), steps=15, eta_ratio=rng.uniform(0.9, 1.3))


def _trusted_factor(eta, N, sigma):
    return 1.0 - 2.0 * eta * N * sigma**2 + eta**2 * sigma**4 * N * (N + 2)


def _check_factor(student, eta, N, sigma):
    got = as_float(student.call("mean_square_factor", float(eta), int(N), float(sigma)), "mean_square_factor(...)")
    want = _trusted_factor(eta, N, sigma)
    assert abs(got - want) <= 1e-9 * abs(want), (
        f"mean_square_factor(eta, N, sigma) is not E[(1 - eta S)^2] for N = {N} (derive E[S] and E[S^2] exactly)"
    )


@pytest.mark.grade_cell("mean_square_factor", weight=1)
def test_factor_small_batches(student, rng):
    """mean_square_factor(eta, N, sigma) equals E[(1 - eta S)^2] for small batches and learning rates"""
    for N in (1, int(rng.integers(2, 8)), int(rng.integers(8, 20))):
        sigma = rng.uniform(0.3, 3.0)
        _check_factor(student, rng.uniform(0.05, 0.8) * _critical(N, sigma), N, sigma)


@pytest.mark.grade_cell("mean_square_factor", weight=1)
def test_factor_large_batches(student, rng):
    """mean_square_factor(eta, N, sigma) equals E[(1 - eta S)^2] for large batches, near and above the critical rate"""
    for N in (int(rng.integers(30, 100)), int(rng.integers(100, 1000))):
        sigma = rng.uniform(0.3, 3.0)
        _check_factor(student, rng.uniform(0.8, 2.0) * _critical(N, sigma), N, sigma)


@pytest.mark.grade_cell("critical_learning_rate", weight=1)
def test_critical_learning_rate(student, rng):
    """critical_learning_rate(N, sigma) is the learning rate where E[delta^2] turns from decaying to growing"""
    for N in (1, int(rng.integers(2, 10)), int(rng.integers(10, 100)), int(rng.integers(100, 1000))):
        sigma = rng.uniform(0.2, 3.0)
        got = as_float(student.call("critical_learning_rate", int(N), float(sigma)), "critical_learning_rate(...)")
        want = _critical(N, sigma)
        assert abs(got - want) <= 1e-9 * want, (
            f"critical_learning_rate(N, sigma) is not where E[(1 - eta S)^2] = 1 for N = {N}"
        )
