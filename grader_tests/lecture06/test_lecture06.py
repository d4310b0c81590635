"""Hidden graders for lecture06: the student's LSTM prediction of a partially observed oscillator on secret trajectories.

The prediction error must be well below that of the better of two naive predictions (constant
continuation of the last observed position, and zero).
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array

T = 25
DT = 0.25
OMEGA_SQUARED = np.array([1.0, 2.25])
KAPPA, GAMMA = 0.5, 0.05
SAMPLES = 300
REQUIRED_RATIO = 1 / 3


def simulate(rng, n, steps=2 * T, hidden_at_rest=False):
    """The notebook's simulator: two coupled damped oscillators, shape (n, steps, 2).

    With ``hidden_at_rest`` the unobserved particle starts at rest at the origin (a special case
    of the notebook's random initial conditions).
    """
    x, v = rng.normal(0, 1, size=(n, 2)), rng.normal(0, 1, size=(n, 2))
    if hidden_at_rest:
        x[:, 1], v[:, 1] = 0.0, 0.0

    def acceleration(x, v):
        return -OMEGA_SQUARED * x - GAMMA * v + KAPPA * (x[:, ::-1] - x)

    trajectories = np.zeros((n, steps, 2))
    h = DT / 10
    for step in range(steps):
        trajectories[:, step] = x
        for _ in range(10):
            v = v + 0.5 * h * acceleration(x, v)
            x = x + h * v
            v = v + 0.5 * h * acceleration(x, v)
    return trajectories


@pytest.mark.grade_cell("lstm_inputs", weight=2)
def test_lstm_inputs(student, rng):
    """lstm_inputs puts the observations first, then T zeros, with one channel axis"""
    n = int(rng.integers(2, 9))
    observed = rng.normal(size=(n, T))
    got = as_array(student.call("lstm_inputs", observed), "lstm_inputs(observed)", (n, 2 * T, 1))
    assert np.allclose(got[:, :T, 0], observed, rtol=1e-6, atol=1e-9), (
        "the first T steps of lstm_inputs(observed) are not the observed positions in their order"
    )
    assert np.all(got[:, T:, 0] == 0), "the last T steps of lstm_inputs(observed) must be zero"


def _ratio(student, trajectories):
    x1 = trajectories[:, :, 0]
    prediction = as_array(student.call("predict_future", x1[:, :T]), "predict_future(observed)", (len(x1), T))
    future = x1[:, T:]
    error = np.mean((prediction - future) ** 2)
    naive = min(np.mean((future - x1[:, T - 1:T]) ** 2), np.mean(future**2))
    return error / naive


@pytest.mark.grade_cell("predict_future", weight=3)
def test_beats_naive_predictions(student, rng):
    """on new trajectories the error is below a third of that of the better naive prediction"""
    ratio = _ratio(student, simulate(rng, SAMPLES))
    assert ratio < REQUIRED_RATIO, (
        f"the prediction error on new trajectories is {ratio:.0%} of the better naive prediction's; "
        f"it must be below {REQUIRED_RATIO:.0%}"
    )


@pytest.mark.grade_cell("predict_future", weight=2)
def test_hidden_particle_at_rest(student, rng):
    """also for new trajectories whose hidden particle starts at rest at the origin"""
    ratio = _ratio(student, simulate(rng, SAMPLES // 2, hidden_at_rest=True))
    assert ratio < REQUIRED_RATIO, (
        f"for trajectories whose hidden particle starts at rest the error is {ratio:.0%} of the better naive "
        "prediction's; "
        f"it must be below {REQUIRED_RATIO:.0%}"
    )
