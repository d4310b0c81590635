"""Hidden graders for sd_mlp_regression (Studierendentage, neural networks exercise 3). Inputs come from the secret seed via ``rng``.

An lbfgs MLP is deterministic in principle, but its last digits depend on the BLAS build and on how the
arrays lie in memory, and the optimiser amplifies such differences: the same cross-validation gives R^2
values that differ by a few thousandths (at most 0.011 in 2000 trials) between the student's sandboxed
kernel and this process. Task 1 is therefore checked on generated physics data whose features lie many
orders of magnitude apart in SI units, where every mistake in the corpus is at least 0.25 away from the
trusted value (without the scaler the network cannot use the small-valued features at all), and the
comparison allows 0.05. Task 2 is judged by R^2 on secret data, with wide margins on both sides.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, cross_val_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from course_lib.grading.checks import as_array, as_float

CV_TOLERANCE = 0.05  # the reference differs from the trusted value by < 0.011; an unscaled MLP by > 0.5, the
# mean squared error by > 0.8, the self-check's constant (0.519) by > 0.25 (trusted values are 0.82-0.99)
DIABETES_R2 = 0.1  # a constant prediction has R^2 <= 0 on any test part; in 400 secret splits the reference reached
# >= 0.36 but for one split with an extreme patient in the test part (0.22), an unscaled MLP >= 0.2; a linear model
# reaches 0.24-0.63 (500 splits)
PROJECTILE_R2 = 0.95  # the reference reaches > 0.985; linear models and unscaled MLPs < 0.83
SEARCH_TIMEOUT = 120  # one grid search or cross-validation in the student's kernel


def _capacitor(rng, n):
    """A capacitor charging through a resistor: R (ohm, 1-10 k), C (farad, 1-10 micro) and t (s, 1-50 ms) give
    the voltage as a fraction of the supply voltage, 1 - exp(-t / RC), measured with noise 0.02."""
    resistance, capacitance = 10 ** rng.uniform(3, 4, n), 10 ** rng.uniform(-6, -5, n)
    time = rng.uniform(0.001, 0.05, n)
    fraction = 1 - np.exp(-time / (resistance * capacitance))
    return np.column_stack([resistance, capacitance, time]), fraction + 0.02 * rng.normal(size=n)


def _wire(rng, n):
    """Resistance (ohm) of a wire, 4 rho L / (pi d^2), from resistivity rho (ohm m, silver to iron), diameter d
    (m, 0.3-1 mm) and length L (m, 1-10), measured with 2 % noise."""
    resistivity, diameter, length = rng.uniform(1.6e-8, 1e-7, n), rng.uniform(3e-4, 1e-3, n), rng.uniform(1, 10, n)
    resistance = 4 * resistivity * length / (np.pi * diameter**2)
    return np.column_stack([resistivity, diameter, length]), resistance * (1 + 0.02 * rng.normal(size=n))


def _projectile(rng, n):
    """Range of a projectile (m) from launch speed (m/s) and angle (rad); the mass (g) is irrelevant, 2 % noise."""
    speed, angle, mass = rng.uniform(10, 50, n), rng.uniform(0.1, 1.4, n), rng.uniform(200, 2000, n)
    distance = speed**2 * np.sin(2 * angle) / 9.81 * (1 + 0.02 * rng.normal(size=n))
    return np.column_stack([speed, angle, mass]), distance


def _diabetes_split(rng):
    X, y = load_diabetes(return_X_y=True, scaled=False)
    order = rng.permutation(len(y))
    return X[order[:310]], y[order[:310]], X[order[310:]], y[order[310:]]


# ---------------------------------------------------------------------------
# 1. cv_r2(X, y, hidden_units, alpha)
# ---------------------------------------------------------------------------


def _trusted_cv_r2(X, y, hidden_units, alpha):
    pipeline = Pipeline([("scale", StandardScaler()),
                         ("mlp", MLPRegressor(hidden_layer_sizes=(hidden_units,), alpha=alpha, solver="lbfgs",
                                              max_iter=500, random_state=0))])
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return float(np.mean(cross_val_score(pipeline, X, y, cv=KFold(5, shuffle=True, random_state=0))))


def _check_cv(student, rng, make_data, what):
    X, y = make_data(rng, int(rng.integers(120, 200)))
    hidden_units, alpha = int(rng.integers(5, 16)), float(10 ** rng.uniform(-1, 0))
    got = as_float(student.call("cv_r2", X, y, hidden_units, alpha, timeout=SEARCH_TIMEOUT), "cv_r2(...)")
    want = _trusted_cv_r2(X, y, hidden_units, alpha)
    assert abs(got - want) <= CV_TOLERANCE, (
        f"cv_r2 on {what} (hidden_units = {hidden_units}, alpha = {alpha:.2g}) is not the mean 5-fold R^2 of the "
        "pipeline specified in the task (check the scaler, the scoring and the averaging)"
    )


@pytest.mark.grade_cell("cv", weight=1)
def test_cv_r2_capacitor(student, rng):
    """cv_r2 matches the specified pipeline and 5-fold cross-validation on generated RC-circuit data (R in ohm, C in farad, t in s)"""
    _check_cv(student, rng, _capacitor, "generated data of a charging capacitor")


@pytest.mark.grade_cell("cv", weight=1)
def test_cv_r2_wire(student, rng):
    """cv_r2 matches the specified pipeline and 5-fold cross-validation on generated wire-resistance data (SI units)"""
    _check_cv(student, rng, _wire, "generated data of wire resistances")


# ---------------------------------------------------------------------------
# 2. fit_and_predict(X_train, y_train, X_test) with a grid search
# ---------------------------------------------------------------------------


def _student_r2(student, X_train, y_train, X_test, y_test):
    got = student.call("fit_and_predict", X_train, y_train, X_test, timeout=SEARCH_TIMEOUT)
    predictions = as_array(got, "fit_and_predict(...)", (len(X_test),))
    return float(r2_score(y_test, predictions))


@pytest.mark.grade_cell("grid", weight=1)
def test_grid_search_diabetes(student, rng):
    """fit_and_predict predicts the test part of a secret split of the diabetes data clearly better than a constant (R^2 >= 0.1)"""
    r2 = _student_r2(student, *_diabetes_split(rng))
    assert r2 >= DIABETES_R2, (
        f"on a new split of the diabetes data the predictions reach only R^2 = {r2:.2f}, hardly better than always "
        "predicting the mean (a linear model reaches about 0.25 to 0.6; is alpha large enough for a target of order 100?)"
    )


@pytest.mark.grade_cell("grid", weight=2)
def test_grid_search_projectile(student, rng):
    """fit_and_predict learns a non-linear target from features of very different sizes (R^2 >= 0.95)"""
    X_train, y_train = _projectile(rng, 400)
    X_test, y_test = _projectile(rng, 300)
    r2 = _student_r2(student, X_train, y_train, X_test, y_test)
    assert r2 >= PROJECTILE_R2, (
        f"on the generated non-linear data the predictions reach only R^2 = {r2:.3f}; a scaled MLP reaches "
        "more than 0.95 (is the StandardScaler in the pipeline, and is the model non-linear?)"
    )
