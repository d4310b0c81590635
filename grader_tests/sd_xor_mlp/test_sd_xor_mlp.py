"""Hidden graders for sd_xor_mlp (Studierendentage, neural networks exercise 1). Inputs come from the secret seed via ``rng``."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from course_lib.grading.checks import as_array, as_float

NOISY_ACCURACY = 0.85  # the best possible rule gets ~0.955 at noise 0.5; the reference MLP 0.93-0.96
CLEAN_ACCURACY = 0.90  # noise-free points away from the axes; the reference gets 0.97-1.0
# xor_accuracy and mse_curve are compared with a trusted fit of the specified network. The adam fits
# agree to the bit between processes and BLAS thread counts (160 fits of the four activations, run
# single-threaded and multi-threaded in separate processes: largest difference 0). An accuracy on 1000
# test points moves in steps of 0.001; the tolerance lets one point on the boundary flip. The same
# network with seed 0 instead of the given seed was within it in 3 of 40 tanh, 0 of 40 identity, 7 of
# 40 relu and 6 of 40 logistic cases of that study, so each test, with two comparisons, still catches
# a fixed seed (at most ~3 % of inputs let it through, against ~0.3 % with an exact comparison).
ACCURACY_TOLERANCE = 0.0015
CURVE_RTOL = 1e-4  # relative; the wrong curves (the loss, shifted epochs, swapped sets) are >= 5 % off
SURFACE_MSE = 0.05  # against the noise-free surface; the reference 0.002-0.008, two tanh neurons ~0.19,
# a linear model or a constant ~0.55
SURFACE_SIGNS = 0.95  # sign of the prediction = XOR of the signs, points >= 0.5 from the axes; reference ~1.0


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
    assert abs(got - want) <= ACCURACY_TOLERANCE, (
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


# ---------------------------------------------------------------------------
# 4. predict_surface(points): regression of the smooth XOR surface
# ---------------------------------------------------------------------------


def _surface(X):
    return np.tanh(2 * X[:, 0]) * np.tanh(2 * X[:, 1])


def _student_surface(student, X):
    return as_array(student.call("predict_surface", X), "predict_surface(points)", (len(X),))


@pytest.mark.grade_cell("surface", weight=2)
def test_surface_mean_squared_error(student, rng):
    """predict_surface is close to the noise-free surface tanh(2 x1) tanh(2 x2) on new points of the square"""
    X = rng.uniform(-2, 2, size=(2000, 2))
    mse = float(np.mean((_student_surface(student, X) - _surface(X)) ** 2))
    assert mse < SURFACE_MSE, (
        f"the mean squared error of predict_surface against the noise-free surface is {mse:.3f} "
        f"(it must be below {SURFACE_MSE}): the network has not learnt the surface"
    )


@pytest.mark.grade_cell("surface", weight=1)
def test_surface_follows_xor(student, rng):
    """predict_surface is positive where x1 and x2 have the same sign and negative where they differ"""
    X = rng.uniform(0.5, 2, size=(1000, 2)) * rng.choice([-1.0, 1.0], size=(1000, 2))
    agree = float(np.mean(np.sign(_student_surface(student, X)) == np.sign(X[:, 0] * X[:, 1])))
    assert agree >= SURFACE_SIGNS, (
        f"the sign of predict_surface follows XOR on only {agree:.1%} of points away from the axes"
    )


# ---------------------------------------------------------------------------
# 5. mse_curve(hidden_units, epochs, X_train, z_train, X_val, z_val, seed)
# ---------------------------------------------------------------------------


def _trusted_curve(hidden_units, epochs, X_train, z_train, X_val, z_val, seed):
    model = MLPRegressor(hidden_layer_sizes=(hidden_units,), activation="tanh", solver="adam",
                         learning_rate_init=0.01, random_state=seed)
    train, val = [], []
    for _ in range(epochs):
        model.partial_fit(X_train, z_train)
        train.append(np.mean((model.predict(X_train) - z_train) ** 2))
        val.append(np.mean((model.predict(X_val) - z_val) ** 2))
    return np.array(train), np.array(val)


def _curve_case(student, rng):
    noise = float(rng.uniform(0.05, 0.2))
    n_train = int(rng.integers(150, 300))
    X = rng.uniform(-2, 2, size=(n_train + 300, 2))
    z = _surface(X) + noise * rng.normal(size=len(X))
    args = (int(rng.integers(3, 12)), int(rng.integers(20, 40)), X[:n_train], z[:n_train], X[n_train:], z[n_train:],
            int(rng.integers(0, 1000)))
    result = student.call("mse_curve", *args)
    assert isinstance(result, (list, tuple)) and len(result) == 2, (
        "mse_curve must return two sequences: (train_mse, val_mse)"
    )
    epochs = args[1]
    got = [as_array(part, f"mse_curve(...)[{i}]", (epochs,)) for i, part in enumerate(result)]
    return args, got, _trusted_curve(*args)


def _assert_curve(args, got, want, which):
    hidden_units, epochs = args[0], args[1]
    assert np.allclose(got, want, rtol=CURVE_RTOL, atol=1e-9), (
        f"the {which} MSE of mse_curve({hidden_units}, {epochs}, ...) differs from the specified network's, "
        "trained with one partial_fit per epoch (check the hyperparameters, the seed, that entry k is the "
        "mean squared error after k + 1 epochs, and which data you measure on)"
    )


@pytest.mark.grade_cell("curve", weight=1)
def test_curve_training_error(student, rng):
    """the training MSE after each epoch matches the specified network for new data, sizes and seeds"""
    args, got, want = _curve_case(student, rng)
    _assert_curve(args, got[0], want[0], "training")


@pytest.mark.grade_cell("curve", weight=1)
def test_curve_validation_error(student, rng):
    """the validation MSE after each epoch matches the specified network for new data, sizes and seeds"""
    args, got, want = _curve_case(student, rng)
    _assert_curve(args, got[1], want[1], "validation")
