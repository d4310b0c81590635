"""Hidden graders for the practice exam.

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
def test_q1_weight_matrix_shape(student):
    """question 1: shape of a dense layer's weight matrix"""
    expect_choice(student, "answer_q1", "b")


@pytest.mark.grade_cell("multiple_choice")
def test_q2_stochastic_gradient_descent(student):
    """question 2: mini-batch SGD"""
    expect_choice(student, "answer_q2", "b")


@pytest.mark.grade_cell("multiple_choice")
def test_q3_trainable_layers(student):
    """question 3: Keras layers with trainable parameters"""
    expect_choice(student, "answer_q3", "ad")


@pytest.mark.grade_cell("multiple_choice")
def test_q4_lstm(student):
    """question 4: properties of an LSTM layer"""
    expect_choice(student, "answer_q4", "abd")


@pytest.mark.grade_cell("multiple_choice")
def test_q5_baseline(student):
    """question 5: the baseline in policy gradient"""
    expect_choice(student, "answer_q5", "b")


@pytest.mark.grade_cell("multiple_choice")
def test_q6_restricted_boltzmann_machine(student):
    """question 6: hidden units of a restricted Boltzmann machine"""
    expect_choice(student, "answer_q6", "a")


# ---------------------------------------------------------------------------
# B. numbers, recomputed from the question's data
# ---------------------------------------------------------------------------


def _conv_side(n, kernel, stride=1, padding="valid"):
    return (n - 1) // stride + 1 if padding == "same" else (n - kernel) // stride + 1


@pytest.mark.grade_cell("numbers")
def test_n1_parameters_of_conv_net(student):
    """question N1: trainable parameters of the Keras model"""
    side, channels, total = 28, 1, 0
    for kind, size, filters, padding in [("conv", 3, 8, "same"), ("pool", 2, None, None), ("conv", 3, 16, "valid")]:
        if kind == "conv":
            total += size * size * channels * filters + filters
            side, channels = _conv_side(side, size, 1, padding), filters
        else:
            side //= size
    total += side * side * channels * 10 + 10
    expect_count(student, "answer_n1", total)


@pytest.mark.grade_cell("numbers")
def test_n2_convolution_output_size(student):
    """question N2: number of outputs of a strided convolution"""
    expect_count(student, "answer_n2", _conv_side(64, 5, 2) ** 2 * 12)


@pytest.mark.grade_cell("numbers")
def test_n3_backprop_gradient(student):
    """question N3: dC/dw1 by backpropagation"""
    x, w1, b1, w2, b2, target = 0.5, 1.2, -0.3, -0.8, 0.1, 1.0
    y1 = _sigmoid(w1 * x + b1)
    y2 = _sigmoid(w2 * y1 + b2)
    expect_real(student, "answer_n3", (y2 - target) * y2 * (1 - y2) * w2 * y1 * (1 - y1) * x, REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n4_rbm_hidden_probability(student):
    """question N4: P(h = 1 | v) in a restricted Boltzmann machine"""
    v, weights, bias = np.array([1, 0, 1]), np.array([0.8, -1.5, -0.4]), -0.1
    expect_real(student, "answer_n4", float(_sigmoid(bias + v @ weights)), REAL_TOLERANCE)


# ---------------------------------------------------------------------------
# C1. softmax
# ---------------------------------------------------------------------------


def _trusted_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _student_softmax(student, z):
    return as_array(student.call("softmax", z), "softmax(z)", z.shape)


@pytest.mark.grade_cell("softmax", weight=2)
def test_softmax_moderate_logits(student, rng):
    """softmax turns each row of moderate logits into probabilities"""
    z = rng.normal(0.0, 2.0, size=(int(rng.integers(3, 8)), int(rng.integers(2, 7))))
    assert relative_error(_student_softmax(student, z), _trusted_softmax(z)) < 1e-9, (
        "the rows are not exp(z_j) / sum_k exp(z_k), normalised over each row"
    )


@pytest.mark.grade_cell("softmax", weight=2)
def test_softmax_large_logits(student, rng):
    """softmax is numerically stable for logits of size 1000 with different offsets per row"""
    n = int(rng.integers(3, 6))
    z = rng.normal(0.0, 2.0, size=(4, n)) + np.array([[1000.0], [-1000.0], [0.0], [700.0]])
    assert relative_error(_student_softmax(student, z), _trusted_softmax(z)) < 1e-9, (
        "for rows with entries near +1000 or -1000 the result is wrong (overflow or underflow in exp?)"
    )


# ---------------------------------------------------------------------------
# C2. conv1d
# ---------------------------------------------------------------------------


def _check_conv1d(student, rng, stride):
    n, m = int(rng.integers(12, 30)), int(rng.integers(2, 6))
    x, kernel = rng.normal(size=n), rng.normal(size=m)
    while (n - m) % stride == 0 and stride > 1:  # a remainder exposes the wrong number of outputs
        n += 1
        x = rng.normal(size=n)
    want = np.array([x[i * stride:i * stride + m] @ kernel for i in range((n - m) // stride + 1)])
    got = as_array(student.call("conv1d", x, kernel, stride), f"conv1d(x, kernel, {stride})", (len(want),))
    assert relative_error(got, want) < 1e-9, (
        f"with stride {stride} the outputs are not sum_k x[i*stride + k] * kernel[k] (kernel not flipped)"
    )


@pytest.mark.grade_cell("conv1d", weight=2)
def test_conv1d_stride_one(student, rng):
    """conv1d with stride 1: valid cross-correlation of a random signal and kernel"""
    _check_conv1d(student, rng, 1)


@pytest.mark.grade_cell("conv1d", weight=2)
def test_conv1d_larger_strides(student, rng):
    """conv1d with strides 2 and 3, where the stride does not divide n - m"""
    for stride in (2, 3):
        _check_conv1d(student, rng, stride)


# ---------------------------------------------------------------------------
# C3. discounted returns
# ---------------------------------------------------------------------------


def _trusted_returns(rewards, gamma):
    powers = gamma ** np.arange(len(rewards))
    return np.array([rewards[t:] @ powers[: len(rewards) - t] for t in range(len(rewards))])


def _check_returns(student, rewards, gamma):
    got = as_array(student.call("discounted_returns", rewards, gamma), "discounted_returns(...)", rewards.shape)
    assert relative_error(got, _trusted_returns(rewards, gamma)) < 1e-9, (
        f"the returns are wrong for an episode of {len(rewards)} steps with gamma = {gamma:.3f}"
    )


@pytest.mark.grade_cell("discounted_returns", weight=3)
def test_discounted_returns_random_episodes(student, rng):
    """discounted returns of random reward sequences with 0.5 < gamma < 0.99"""
    for length in (int(rng.integers(5, 12)), int(rng.integers(20, 40))):
        _check_returns(student, rng.normal(size=length), float(rng.uniform(0.5, 0.99)))


@pytest.mark.grade_cell("discounted_returns", weight=1)
def test_discounted_returns_undiscounted(student, rng):
    """with gamma = 1 the return is the sum of the remaining rewards"""
    _check_returns(student, rng.integers(-3, 4, size=int(rng.integers(6, 15))).astype(float), 1.0)
