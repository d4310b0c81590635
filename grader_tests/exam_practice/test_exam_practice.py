"""Hidden graders for the practice exam.

The correct options and numbers exist only in this file. Numbers that a student could look
up are recomputed here from the numbers given in the question; code tasks are called on
inputs drawn from the secret seed (``rng``).
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, as_float, expect_choice, expect_count, expect_real, relative_error

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


@pytest.mark.grade_cell("multiple_choice")
def test_q7_symmetric_architecture(student):
    """question 7: an architecture for the energy of a spin ring"""
    expect_choice(student, "answer_q7", "b")


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


@pytest.mark.grade_cell("numbers")
def test_n5_pca_explained_variance(student):
    """question N5: fraction of the variance along the first principal axis"""
    X = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 0.0], [-1.0, 0.0]])
    eigenvalues = np.linalg.eigvalsh(np.cov(X, rowvar=False))
    expect_real(student, "answer_n5", float(eigenvalues.max() / eigenvalues.sum()), REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n6_mutual_information(student):
    """question N6: mutual information of two binary variables, in bits"""
    joint = np.array([[0.3, 0.2], [0.0, 0.5]])
    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
    seen = joint > 0
    expect_real(student, "answer_n6", float(np.sum(joint[seen] * np.log2(joint[seen] / product[seen]))), REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n7_repetition_code(student):
    """question N7: logical error of a three-bit repetition code with majority vote"""
    p = 0.05
    expect_real(student, "answer_n7", 3 * p ** 2 * (1 - p) + p ** 3, REAL_TOLERANCE)


# ---------------------------------------------------------------------------
# C1. adam_step
# ---------------------------------------------------------------------------


def _check_adam(student, rng, t, m, v):
    theta, grad = rng.normal(size=m.shape), rng.normal(0.0, 2.0, size=m.shape)
    eta, beta1, beta2 = float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.95, 0.999))
    eps = 1e-8
    result = student.call("adam_step", theta, grad, m, v, t, eta, beta1, beta2, eps)
    assert isinstance(result, (tuple, list)) and len(result) == 3, "adam_step must return (theta_new, m_new, v_new)"
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    theta_new = theta - eta * (m_new / (1 - beta1 ** t)) / (np.sqrt(v_new / (1 - beta2 ** t)) + eps)
    for name, got, want in zip(("theta_new", "m_new", "v_new"), result, (theta_new, m_new, v_new)):
        got = as_array(got, name, m.shape)
        assert relative_error(got, want) < 1e-9, f"at step t = {t} `{name}` is wrong"


@pytest.mark.grade_cell("adam", weight=2)
def test_adam_first_step(student, rng):
    """the first adam step (t = 1) from moments that are zero"""
    shape = (int(rng.integers(3, 8)),)
    _check_adam(student, rng, 1, np.zeros(shape), np.zeros(shape))


@pytest.mark.grade_cell("adam", weight=2)
def test_adam_later_step(student, rng):
    """a later adam step with running moments, for a matrix of parameters"""
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
    _check_adam(student, rng, int(rng.integers(3, 40)), rng.normal(size=shape), rng.uniform(0.1, 2.0, size=shape))


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
# C3. lstm_step
# ---------------------------------------------------------------------------


def _lstm_case(student, rng):
    n_in, n_h = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    x, h, c = rng.normal(size=n_in), rng.normal(0.0, 0.5, size=n_h), rng.normal(size=n_h)
    W, U, b = rng.normal(size=(n_in, 4 * n_h)), rng.normal(size=(n_h, 4 * n_h)), rng.normal(size=4 * n_h)
    result = student.call("lstm_step", x, h, c, W, U, b)
    assert isinstance(result, (tuple, list)) and len(result) == 2, "lstm_step must return (h_new, c_new)"
    z_i, z_f, z_g, z_o = np.split(x @ W + h @ U + b, 4)
    c_new = _sigmoid(z_f) * c + _sigmoid(z_i) * np.tanh(z_g)
    want = (_sigmoid(z_o) * np.tanh(c_new), c_new)
    got = tuple(as_array(r, name, (n_h,)) for r, name in zip(result, ("h_new", "c_new")))
    return got, want


@pytest.mark.grade_cell("lstm", weight=2)
def test_lstm_memory(student, rng):
    """the new memory c_new of an LSTM cell with random weights"""
    for _ in range(2):
        (_, c_new), (_, want) = _lstm_case(student, rng)
        assert relative_error(c_new, want) < 1e-9, (
            "c_new is not f * c + i * g (check the order i, f, g, o of the blocks and the activations)"
        )


@pytest.mark.grade_cell("lstm", weight=2)
def test_lstm_output(student, rng):
    """the new output h_new of an LSTM cell with random weights"""
    for _ in range(2):
        (h_new, _), (want, _) = _lstm_case(student, rng)
        assert relative_error(h_new, want) < 1e-9, "h_new is not o * tanh(c_new)"


# ---------------------------------------------------------------------------
# C4. tsne_cost_gradient
# ---------------------------------------------------------------------------


def _tsne_case(student, rng):
    n, d = int(rng.integers(4, 12)), int(rng.integers(1, 4))
    Y = rng.normal(0.0, 1.5, size=(n, d))
    P = rng.uniform(0.1, 1.0, size=(n, n))
    P = P + P.T
    np.fill_diagonal(P, 0.0)
    P /= P.sum()
    result = student.call("tsne_cost_gradient", Y, P)
    assert isinstance(result, (tuple, list)) and len(result) == 2, "tsne_cost_gradient must return (C, dC_dY)"
    kernel = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                kernel[i, j] = 1.0 / (1.0 + np.sum((Y[i] - Y[j]) ** 2))
    Q = kernel / kernel.sum()
    off = ~np.eye(n, dtype=bool)
    cost = float(np.sum(P[off] * np.log(P[off] / Q[off])))
    gradient = np.array([4 * sum((P[i, j] - Q[i, j]) * kernel[i, j] * (Y[i] - Y[j]) for j in range(n)) for i in range(n)])
    return result, (cost, gradient), Y.shape


@pytest.mark.grade_cell("tsne_gradient", weight=1)
def test_tsne_cost(student, rng):
    """the Kullback-Leibler cost of a random t-SNE map"""
    (cost, _), (want, _), _ = _tsne_case(student, rng)
    cost = as_float(cost, "C")
    assert abs(cost - want) <= 1e-9 * abs(want), "the cost is not sum_(i != j) P_ij ln(P_ij / Q_ij)"


@pytest.mark.grade_cell("tsne_gradient", weight=3)
def test_tsne_gradient(student, rng):
    """the gradient of the t-SNE cost for random maps in one to three dimensions"""
    for _ in range(2):
        (_, gradient), (_, want), shape = _tsne_case(student, rng)
        gradient = as_array(gradient, "dC_dY", shape)
        assert relative_error(gradient, want) < 1e-9, (
            f"the gradient for a map of shape {shape} is not 4 sum_j (P_ij - Q_ij)(y_i - y_j) / (1 + |y_i - y_j|^2)"
        )
