"""Hidden graders for the exam.

The correct options and numbers exist only in this file. Numbers that a student could look
up are recomputed here from the numbers given in the question; code tasks are called on
inputs drawn from the secret seed (``rng``).
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, expect_choice, expect_count, expect_real, relative_error

REAL_TOLERANCE = 2e-3  # relative; the notebook promises 0.2 % for numbers that are not counts


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------------------
# A. multiple choice
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("multiple_choice")
def test_q1_linear_activation(student):
    """question 1: activation that collapses a deep network to one layer"""
    expect_choice(student, "answer_q1", "c")


@pytest.mark.grade_cell("multiple_choice")
def test_q2_overfitting(student):
    """question 2: measures against overfitting"""
    expect_choice(student, "answer_q2", "abd")


@pytest.mark.grade_cell("multiple_choice")
def test_q3_weights_per_filter(student):
    """question 3: weights of one convolutional filter"""
    expect_choice(student, "answer_q3", "b")


@pytest.mark.grade_cell("multiple_choice")
def test_q4_learning_rate(student):
    """question 4: a learning rate that is too large"""
    expect_choice(student, "answer_q4", "a")


@pytest.mark.grade_cell("multiple_choice")
def test_q5_q_learning(student):
    """question 5: properties of tabular Q-learning"""
    expect_choice(student, "answer_q5", "abd")


@pytest.mark.grade_cell("multiple_choice")
def test_q6_boltzmann_negative_phase(student):
    """question 6: the model term of the Boltzmann machine update"""
    expect_choice(student, "answer_q6", "a")


# ---------------------------------------------------------------------------
# B. numbers, recomputed from the question's data
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("numbers")
def test_n1_parameters_of_lstm_net(student):
    """question N1: trainable parameters of the LSTM model"""
    features, units, outputs = 10, 32, 3
    lstm = 4 * (units * (features + units) + units)  # four gates, each with input and recurrent weights and a bias
    expect_count(student, "answer_n1", lstm + units * outputs + outputs)


@pytest.mark.grade_cell("numbers")
def test_n2_output_of_conv_chain(student):
    """question N2: number of outputs after convolution, pooling and a strided convolution"""
    side = 96 - 3 + 1
    side //= 2
    side = (side - 5) // 2 + 1
    expect_count(student, "answer_n2", side * side * 6)


@pytest.mark.grade_cell("numbers")
def test_n3_relu_backprop(student):
    """question N3: dC/dw11 in a ReLU network"""
    x, w, b = np.array([1.5, -0.5]), np.array([[0.4, -0.7], [0.9, 0.2]]), np.array([0.1, 0.3])
    v, c, target = np.array([1.1, -0.6]), 0.05, 0.8
    z = b + x @ w
    y = c + v @ np.maximum(z, 0.0)
    expect_real(student, "answer_n3", float((y - target) * v[0] * (z[0] > 0) * x[0]), REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n4_policy_gradient_step(student):
    """question N4: one policy-gradient step for a softmax policy"""
    theta, eta, ret, taken = np.array([0.3, -0.2]), 0.1, 2.0, 1
    pi = np.exp(theta) / np.sum(np.exp(theta))
    grad_log_pi = np.eye(2)[taken] - pi
    expect_real(student, "answer_n4", float(theta[0] + eta * ret * grad_log_pi[0]), REAL_TOLERANCE)


# ---------------------------------------------------------------------------
# C1. conv2d_valid
# ---------------------------------------------------------------------------


def _check_conv2d(student, rng, image_shape, kernel_shape):
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    h, w = kernel_shape
    out_shape = (image_shape[0] - h + 1, image_shape[1] - w + 1)
    want = np.array([[np.sum(image[i:i + h, j:j + w] * kernel) for j in range(out_shape[1])] for i in range(out_shape[0])])
    got = as_array(student.call("conv2d_valid", image, kernel), "conv2d_valid(image, kernel)", out_shape)
    assert relative_error(got, want) < 1e-9, (
        f"for a {image_shape[0]} x {image_shape[1]} image and a {h} x {w} kernel the outputs are not "
        "sum_kl image[i+k, j+l] * kernel[k, l] (kernel not flipped)"
    )


@pytest.mark.grade_cell("conv2d", weight=2)
def test_conv2d_square_kernel(student, rng):
    """conv2d_valid with a square kernel on a random image"""
    size = int(rng.integers(3, 5))
    _check_conv2d(student, rng, (int(rng.integers(8, 14)), int(rng.integers(8, 14))), (size, size))


@pytest.mark.grade_cell("conv2d", weight=2)
def test_conv2d_rectangular_kernel(student, rng):
    """conv2d_valid with a rectangular kernel on a non-square image"""
    h = int(rng.integers(2, 4))
    _check_conv2d(student, rng, (int(rng.integers(6, 10)), int(rng.integers(11, 16))), (h, h + int(rng.integers(1, 3))))


# ---------------------------------------------------------------------------
# C2. q_learning_update
# ---------------------------------------------------------------------------


def _check_q_step(student, rng, done):
    n_states, n_actions = int(rng.integers(4, 9)), int(rng.integers(3, 6))
    Q = rng.normal(0.0, 2.0, size=(n_states, n_actions))
    s, s_next = (int(i) for i in rng.choice(n_states, size=2, replace=False))
    # an action that is not the best one in s_next: bootstrapping with Q(s_next, a) then differs from the max
    a, r = int(rng.choice(np.flatnonzero(Q[s_next] < Q[s_next].max()))), float(rng.normal())
    alpha, gamma = float(rng.uniform(0.1, 0.6)), float(rng.uniform(0.7, 0.99))
    want = Q.copy()
    want[s, a] += alpha * ((r if done else r + gamma * Q[s_next].max()) - Q[s, a])
    got = as_array(student.call("q_learning_update", Q, s, a, r, s_next, alpha, gamma, done), "q_learning_update(...)", Q.shape)
    changed = np.abs(got - Q) > 1e-12
    changed[s, a] = False
    assert not changed.any(), "entries other than Q[s, a] were changed"
    assert abs(got[s, a] - want[s, a]) <= 1e-9 * max(1.0, abs(want[s, a])), (
        f"the new Q[s, a] is wrong for a transition with done = {done}"
    )


@pytest.mark.grade_cell("q_learning", weight=3)
def test_q_learning_step_within_episode(student, rng):
    """one Q-learning step for transitions inside an episode (done = False)"""
    for _ in range(3):
        _check_q_step(student, rng, done=False)


@pytest.mark.grade_cell("q_learning", weight=1)
def test_q_learning_step_at_episode_end(student, rng):
    """one Q-learning step for the last transition of an episode (done = True)"""
    _check_q_step(student, rng, done=True)


# ---------------------------------------------------------------------------
# C3. cd1_update
# ---------------------------------------------------------------------------


def _trusted_cd1(v0, W, a, b, eta, u_h, u_v):
    p0 = _sigmoid(b + v0 @ W)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < _sigmoid(a + h0 @ W.T)).astype(float)
    p1 = _sigmoid(b + v1 @ W)
    n = len(v0)
    return W + eta * (v0.T @ p0 - v1.T @ p1) / n, a + eta * (v0 - v1).mean(axis=0), b + eta * (p0 - p1).mean(axis=0)


def _check_cd1(student, rng, n):
    n_v, n_h = int(rng.integers(4, 9)), int(rng.integers(2, 6))
    v0 = (rng.uniform(size=(n, n_v)) < 0.5).astype(float)
    W, a, b = rng.normal(0.0, 1.0, size=(n_v, n_h)), rng.normal(0.0, 0.5, size=n_v), rng.normal(0.0, 0.5, size=n_h)
    u_h, u_v, eta = rng.uniform(size=(n, n_h)), rng.uniform(size=(n, n_v)), float(rng.uniform(0.05, 0.5))
    result = student.call("cd1_update", v0, W, a, b, eta, u_h, u_v)
    assert isinstance(result, (tuple, list)) and len(result) == 3, "cd1_update must return (W_new, a_new, b_new)"
    shapes = {"W_new": W.shape, "a_new": a.shape, "b_new": b.shape}
    for (name, shape), got, want in zip(shapes.items(), result, _trusted_cd1(v0, W, a, b, eta, u_h, u_v)):
        got = as_array(got, name, shape)
        assert relative_error(got, want) < 1e-9, f"for a batch of {n} samples `{name}` is wrong"


@pytest.mark.grade_cell("cd1", weight=3)
def test_cd1_batch(student, rng):
    """one CD-1 step on a batch of samples"""
    for n in (int(rng.integers(5, 12)), int(rng.integers(20, 40))):
        _check_cd1(student, rng, n)


@pytest.mark.grade_cell("cd1", weight=1)
def test_cd1_single_sample(student, rng):
    """one CD-1 step on a batch of a single sample"""
    _check_cd1(student, rng, 1)
