"""Hidden graders for sd_xor_mlp (Studierendentage, neural networks exercise 1). Inputs come from the secret seed via ``rng``."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from course_lib.grading.checks import as_array, as_float

NOISY_ACCURACY = 0.85  # the best possible rule gets ~0.955 at noise 0.5; the reference MLP 0.93-0.96
CLEAN_ACCURACY = 0.90  # noise-free points away from the axes; the reference gets 0.97-1.0


def _noisy_xor(rng, n, noise):
    corners = rng.choice([-1.0, 1.0], size=(n, 2))
    return corners + noise * rng.normal(size=(n, 2)), (corners[:, 0] * corners[:, 1] < 0).astype(int)


def _clean_xor(rng, n, low=0.3, high=2.0):
    """Points in [-2, 2]^2 at least `low` away from both axes, labelled by the XOR of the signs."""
    X = rng.uniform(low, high, size=(n, 2)) * rng.choice([-1.0, 1.0], size=(n, 2))
    return X, (X[:, 0] * X[:, 1] < 0).astype(int)


def _student_labels(student, X):
    labels = as_array(student.call("predict_xor", X), "predict_xor(points)", (len(X),))
    assert np.all(np.isin(labels, (0, 1))), "predict_xor must return the labels 0 and 1, not probabilities or scores"
    return labels


# ---------------------------------------------------------------------------
# 1. predict_xor(points) from the trained xor_model
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("xor", weight=2)
def test_noisy_xor_accuracy(student, rng):
    """predict_xor classifies new noisy XOR points (noise 0.5, like the training data) with high accuracy"""
    X, y = _noisy_xor(rng, 2000, 0.5)
    accuracy = np.mean(_student_labels(student, X) == y)
    assert accuracy >= NOISY_ACCURACY, (
        f"predict_xor gets only {accuracy:.1%} of new noisy XOR points right: the network has not learnt XOR"
    )


@pytest.mark.grade_cell("xor", weight=1)
def test_clean_xor_accuracy(student, rng):
    """predict_xor follows the XOR rule on noise-free points anywhere in [-2, 2]^2 away from the axes"""
    X, y = _clean_xor(rng, 1000)
    accuracy = np.mean(_student_labels(student, X) == y)
    assert accuracy >= CLEAN_ACCURACY, (
        f"predict_xor gets only {accuracy:.1%} of noise-free XOR points right: the decision regions do not follow XOR"
    )


# ---------------------------------------------------------------------------
# 2. xor_accuracy(hidden_units, activation, X_train, y_train, X_test, y_test, seed)
# ---------------------------------------------------------------------------


def _trusted_accuracy(hidden_units, activation, X_train, y_train, X_test, y_test, seed):
    model = MLPClassifier(hidden_layer_sizes=(hidden_units,), activation=activation, solver="adam",
                          learning_rate_init=0.01, max_iter=1000, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    return float(model.score(X_test, y_test))


def _check_accuracy(student, rng, hidden_units, activation):
    noise = float(rng.uniform(0.3, 0.6))
    X_train, y_train = _noisy_xor(rng, int(rng.integers(80, 160)), noise)
    X_test, y_test = _noisy_xor(rng, 1000, noise)
    seed = int(rng.integers(0, 1000))
    got = as_float(student.call("xor_accuracy", hidden_units, activation, X_train, y_train, X_test, y_test, seed),
                   "xor_accuracy(...)")
    want = _trusted_accuracy(hidden_units, activation, X_train, y_train, X_test, y_test, seed)
    assert abs(got - want) < 1e-9, (
        f"xor_accuracy({hidden_units}, {activation!r}, ...) is not the test accuracy of the MLPClassifier "
        "specified in the task (check the hyperparameters, the seed and which data you score on)"
    )


@pytest.mark.grade_cell("accuracy", weight=1)
def test_accuracy_tanh_and_identity(student, rng):
    """xor_accuracy matches the specified MLPClassifier for tanh and identity networks of new sizes"""
    _check_accuracy(student, rng, int(rng.integers(2, 5)), "tanh")
    _check_accuracy(student, rng, int(rng.integers(3, 10)), "identity")


@pytest.mark.grade_cell("accuracy", weight=1)
def test_accuracy_relu_and_logistic(student, rng):
    """xor_accuracy matches the specified MLPClassifier for relu and logistic networks of new sizes"""
    _check_accuracy(student, rng, int(rng.integers(2, 5)), "relu")
    _check_accuracy(student, rng, int(rng.integers(2, 5)), "logistic")
