"""Hidden graders for hd_logistic_softmax (Heidelberg ML and Physics, sheet on logistic regression and softmax).

Inputs come from the secret seed via ``rng``: random logits and weights, the digits split by a
secret permutation, and Gaussian blobs with secret centres.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from course_lib.grading.checks import as_array, relative_error

DIGITS_ACCURACY = 0.92  # stated on the sheet
BLOBS_LOSS_MARGIN = 0.1  # stated on the sheet: training cross-entropy within 0.1 of its minimum

# ---------------------------------------------------------------------------
# trusted reference computations
# ---------------------------------------------------------------------------


def _trusted_softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _trusted_loss(W, X, Y):
    Z = X @ W
    m = Z.max(axis=1, keepdims=True)
    log_p = Z - m - np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
    return -np.mean(np.sum(Y * log_p, axis=1))


def _finite_differences(W, X, Y, eps=1e-6):
    grad = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        up, down = W.copy(), W.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (_trusted_loss(up, X, Y) - _trusted_loss(down, X, Y)) / (2 * eps)
    return grad


def _one_hot(labels, K):
    return np.eye(K)[labels]


def _with_constant(X):
    return np.hstack([X, np.ones((len(X), 1))])


# ---------------------------------------------------------------------------
# 1. softmax(Z)
# ---------------------------------------------------------------------------


def _check_softmax(student, Z, what):
    got = as_array(student.call("softmax", Z), "softmax(Z)", Z.shape)
    assert np.allclose(got.sum(axis=1), 1.0, rtol=0, atol=1e-12), f"{what}: the rows of softmax(Z) do not sum to one"
    want = _trusted_softmax(Z)
    assert np.max(np.abs(got - want)) <= 1e-12 + 1e-10 * want.max(), f"{what}: softmax(Z) is wrong"


@pytest.mark.grade_cell("softmax", weight=1)
def test_softmax_moderate_logits(student, rng):
    """softmax(Z) applies the softmax to every row of Z, for logits of moderate size"""
    n, K = int(rng.integers(10, 30)), int(rng.integers(3, 9))
    _check_softmax(student, rng.normal(0.0, 3.0, size=(n, K)), "for moderate logits")


@pytest.mark.grade_cell("softmax", weight=1)
def test_softmax_huge_logits(student, rng):
    """softmax(Z) stays finite and exact for logits of size +-1000 (rows of very different size)"""
    n, K = int(rng.integers(10, 30)), int(rng.integers(3, 9))
    offsets = rng.choice([-1000.0, -800.0, 0.0, 800.0, 1000.0], size=(n, 1))
    offsets[:2, 0] = [1000.0, -1000.0]
    _check_softmax(student, rng.normal(0.0, 5.0, size=(n, K)) + offsets, "for logits of size 1000")


# ---------------------------------------------------------------------------
# 2. cross_entropy_gradient(W, X, Y)
# ---------------------------------------------------------------------------


def _gradient_problem(rng, n, d, K, weight_scale):
    X = _with_constant(rng.normal(0.0, 1.0, size=(n, d - 1)))
    W = rng.normal(0.0, weight_scale, size=(d, K))
    Y = _one_hot(rng.integers(0, K, size=n), K)
    return W, X, Y


@pytest.mark.grade_cell("gradient", weight=2)
def test_gradient_matches_finite_differences(student, rng):
    """cross_entropy_gradient(W, X, Y) agrees with finite differences of the cross-entropy"""
    d, K = int(rng.integers(3, 7)), int(rng.integers(3, 6))
    while K == d:
        K = int(rng.integers(3, 6))
    W, X, Y = _gradient_problem(rng, n=int(rng.integers(8, 25)), d=d, K=K, weight_scale=1.0)
    got = as_array(student.call("cross_entropy_gradient", W, X, Y), "cross_entropy_gradient(...)", W.shape)
    assert relative_error(got, _finite_differences(W, X, Y)) < 1e-6, (
        "the gradient disagrees with finite differences of the cross-entropy"
    )


@pytest.mark.grade_cell("gradient", weight=1)
def test_gradient_larger_problem(student, rng):
    """the gradient is right for more samples, more classes and confident predictions (large logits)"""
    d, K = int(rng.integers(8, 15)), int(rng.integers(6, 12))
    W, X, Y = _gradient_problem(rng, n=int(rng.integers(100, 300)), d=d, K=K, weight_scale=4.0)
    got = as_array(student.call("cross_entropy_gradient", W, X, Y), "cross_entropy_gradient(...)", W.shape)
    want = X.T @ (_trusted_softmax(X @ W) - Y) / len(X)
    assert relative_error(got, want) < 1e-8, "the gradient is wrong for a larger problem with confident predictions"


# ---------------------------------------------------------------------------
# 3. train_softmax_regression(X, Y)
# ---------------------------------------------------------------------------


def _student_weights(student, X, Y):
    W = student.call("train_softmax_regression", X, Y, timeout=120)
    return as_array(W, "train_softmax_regression(X, Y)", (X.shape[1], Y.shape[1]))


@pytest.mark.grade_cell("train", weight=2)
def test_train_on_digits(student, rng):
    """the trained W classifies at least 92 % of held-out digits (secret 1000 / 797 split)"""
    digits = load_digits()
    X = _with_constant(digits.data / 16.0)
    order = rng.permutation(len(X))
    train, test = order[:1000], order[1000:]
    W = _student_weights(student, X[train], _one_hot(digits.target[train], 10))
    accuracy = np.mean(np.argmax(X[test] @ W, axis=1) == digits.target[test])
    assert accuracy >= DIGITS_ACCURACY, (
        f"the test accuracy on the digits is {100 * accuracy:.1f} %, below the {100 * DIGITS_ACCURACY:.0f} % needed"
    )


def _blobs(rng):
    """Overlapping Gaussian blobs (not separable: the cross-entropy has a finite minimum of at least 0.15)."""
    for _ in range(100):
        K, d = int(rng.integers(3, 6)), int(rng.integers(2, 6))
        centres = rng.normal(0.0, 1.5, size=(K, d))
        stds = rng.uniform(0.6, 1.0, size=K)
        labels = rng.integers(0, K, size=600)
        points = centres[labels] + stds[labels, None] * rng.normal(size=(600, d))
        X, Y = _with_constant(points), _one_hot(labels, K)
        fit = LogisticRegression(C=1e4, tol=1e-8, max_iter=2000).fit(points, labels)
        minimum = _trusted_loss(np.vstack([fit.coef_.T, fit.intercept_]), X, Y)
        if minimum >= 0.15:
            return X, Y, minimum
    raise RuntimeError("could not draw overlapping blobs")


@pytest.mark.grade_cell("train", weight=1)
def test_train_on_blobs(student, rng):
    """on Gaussian blobs the training cross-entropy comes within 0.1 of its minimum"""
    X, Y, minimum = _blobs(rng)
    W = _student_weights(student, X, Y)
    assert _trusted_loss(W, X, Y) <= minimum + BLOBS_LOSS_MARGIN, (
        "on the blobs the cross-entropy of the trained W is more than 0.1 above its minimum (training has not converged)"
    )
