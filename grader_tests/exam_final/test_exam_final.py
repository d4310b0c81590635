"""Hidden graders for the exam.

The correct options and numbers exist only in this file. Numbers that a student could look
up are recomputed here from the numbers given in the question; code tasks are called on
inputs drawn from the secret seed (``rng``).
"""

import numpy as np
import pytest

from math import comb

from course_lib.grading.checks import as_array, as_float, expect_choice, expect_count, expect_real, relative_error

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


@pytest.mark.grade_cell("multiple_choice")
def test_q7_ising_phase_classifier(student):
    """question 7: a network that classifies Ising snapshots"""
    expect_choice(student, "answer_q7", "abd")


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


@pytest.mark.grade_cell("numbers")
def test_n5_tsne_map_similarity(student):
    """question N5: Q_12 of a three-point t-SNE map"""
    Y = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    kernel = 1.0 / (1.0 + np.sum((Y[:, None] - Y[None]) ** 2, axis=-1))
    np.fill_diagonal(kernel, 0.0)
    expect_real(student, "answer_n5", float(kernel[0, 1] / kernel.sum()), REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n6_pca_reconstruction_error(student):
    """question N6: mean squared error of a one-component PCA reconstruction"""
    X = np.array([[4.0, 3.0], [2.0, 3.0], [0.0, -1.0], [2.0, 3.0]])
    centred = X - X.mean(axis=0)
    axis = np.linalg.eigh(centred.T @ centred)[1][:, -1]
    reconstructed = X.mean(axis=0) + np.outer(centred @ axis, axis)
    expect_real(student, "answer_n6", float(np.mean(np.sum((reconstructed - X) ** 2, axis=1))), REAL_TOLERANCE)


@pytest.mark.grade_cell("numbers")
def test_n7_repetition_code(student):
    """question N7: logical error of a five-bit repetition code with majority vote"""
    p, n = 0.1, 5
    expect_real(student, "answer_n7", sum(comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n // 2 + 1, n + 1)),
                REAL_TOLERANCE)


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
# C2. tsne_affinities
# ---------------------------------------------------------------------------


def _trusted_affinities(X, sigma):
    distances = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    weights = np.exp(-distances / (2 * sigma[:, None] ** 2))
    np.fill_diagonal(weights, 0.0)
    conditional = weights / weights.sum(axis=1, keepdims=True)
    return (conditional + conditional.T) / (2 * len(X))


def _check_affinities(student, rng, sigma):
    n = len(sigma)
    X = rng.normal(size=(n, int(rng.integers(2, 6))))
    got = as_array(student.call("tsne_affinities", X, sigma), "tsne_affinities(X, sigma)", (n, n))
    assert relative_error(got, _trusted_affinities(X, sigma)) < 1e-9, (
        f"for {n} points the affinities are not (p_j|i + p_i|j) / (2n) with p_i|i = 0 and the width sigma_i "
        "of the point i in p_j|i"
    )


@pytest.mark.grade_cell("tsne", weight=1)
def test_tsne_affinities_with_one_width(student, rng):
    """tsne_affinities when every point has the same width"""
    _check_affinities(student, rng, np.full(int(rng.integers(5, 9)), float(rng.uniform(0.8, 2.0))))


@pytest.mark.grade_cell("tsne", weight=3)
def test_tsne_affinities_with_own_widths(student, rng):
    """tsne_affinities when each point has its own width sigma_i"""
    for n in (int(rng.integers(6, 10)), int(rng.integers(12, 20))):
        _check_affinities(student, rng, rng.uniform(0.5, 2.5, size=n))


# ---------------------------------------------------------------------------
# C3. autoencoder_gradient
# ---------------------------------------------------------------------------


def _autoencoder_case(student, rng):
    n, d = int(rng.integers(5, 30)), int(rng.integers(3, 7))
    X, W = rng.normal(size=(n, d)), rng.normal(0.0, 0.7, size=(d, int(rng.integers(1, d))))
    result = student.call("autoencoder_gradient", X, W)
    assert isinstance(result, (tuple, list)) and len(result) == 2, "autoencoder_gradient must return (C, dC_dW)"
    Z = X @ W
    R = Z @ W.T - X
    return result, (0.5 * np.sum(R ** 2) / n, (R.T @ Z + X.T @ (R @ W)) / n), W.shape


@pytest.mark.grade_cell("autoencoder", weight=1)
def test_autoencoder_cost(student, rng):
    """the cost C(W) of the tied linear autoencoder on a new batch"""
    (cost, _), (want, _), _ = _autoencoder_case(student, rng)
    cost = float(as_array(cost, "C"))
    assert abs(cost - want) <= 1e-9 * abs(want), "the cost is not 1/(2n) sum_s |W W^T x_s - x_s|^2"


@pytest.mark.grade_cell("autoencoder", weight=3)
def test_autoencoder_gradient(student, rng):
    """the gradient dC/dW of the tied linear autoencoder, through the encoder and the decoder"""
    for _ in range(2):
        (_, gradient), (_, want), shape = _autoencoder_case(student, rng)
        gradient = as_array(gradient, "dC_dW", shape)
        assert relative_error(gradient, want) < 1e-9, (
            f"the gradient for W of shape {shape} is wrong (W enters through the encoder and the decoder)"
        )


# ---------------------------------------------------------------------------
# C4. mutual_information
# ---------------------------------------------------------------------------


def _trusted_mutual_information(counts):
    p = counts / counts.sum()
    px, py = p.sum(axis=1), p.sum(axis=0)
    total = 0.0
    for x in range(p.shape[0]):
        for y in range(p.shape[1]):
            if p[x, y] > 0:
                total += p[x, y] * np.log2(p[x, y] / (px[x] * py[y]))
    return total


def _check_mutual_information(student, counts, what):
    got = as_float(student.call("mutual_information", counts), "mutual_information(counts)")
    want = _trusted_mutual_information(counts)
    assert abs(got - want) <= 1e-9 * max(abs(want), 1e-3), (
        f"for a {counts.shape[0]} x {counts.shape[1]} table of counts {what} the value is not "
        "sum p_xy log2(p_xy / (p_x p_y)) with p_xy = n_xy / N"
    )


@pytest.mark.grade_cell("mutual_information", weight=2)
def test_mutual_information_of_positive_counts(student, rng):
    """mutual_information of tables of positive counts, not square"""
    for _ in range(2):
        rows = int(rng.integers(2, 5))
        counts = rng.integers(1, 40, size=(rows, rows + int(rng.integers(1, 3)))).astype(float)
        _check_mutual_information(student, counts, "(all positive)")


@pytest.mark.grade_cell("mutual_information", weight=2)
def test_mutual_information_with_zero_counts(student, rng):
    """mutual_information when some counts, a whole row, or all but one entry per row are zero"""
    counts = rng.integers(1, 30, size=(int(rng.integers(3, 5)), int(rng.integers(4, 6)))).astype(float)
    counts[rng.random(counts.shape) < 0.3] = 0.0
    counts[0, :] = 0.0                            # a value of X never observed
    counts[1:, 0] = np.maximum(counts[1:, 0], 1.0)
    _check_mutual_information(student, counts, "with zeros")
    values = int(rng.integers(3, 6))            # Y a function of X: I = H(Y)
    image = rng.integers(0, values - 1, size=values)
    image[:2] = 0, 1                            # at least two values of Y occur
    deterministic = np.zeros((values, values - 1))
    deterministic[np.arange(values), image] = rng.integers(1, 20, size=values)
    _check_mutual_information(student, deterministic, "in which Y is a function of X")
