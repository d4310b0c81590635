"""Hidden graders for hd_ridge_lasso (Heidelberg ML and Physics, sheet on ridge and lasso).

Inputs come from the secret seed via ``rng``. Cost functions (as stated on the sheet):
ridge 1/2 ||y - Xw||^2 + lam/2 ||w||^2, lasso 1/2 ||y - Xw||^2 + lam ||w||_1.
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, relative_error

# ---------------------------------------------------------------------------
# trusted data and reference solvers
# ---------------------------------------------------------------------------


def _design(rng, n, d, rho):
    """Centred, equicorrelated Gaussian features (correlation rho) with column scales between 0.2 and 5."""
    cov = rho * np.ones((d, d)) + (1.0 - rho) * np.eye(d)
    X = rng.normal(size=(n, d)) @ np.linalg.cholesky(cov).T
    X *= np.exp(rng.uniform(np.log(0.2), np.log(5.0), size=d))
    return X - X.mean(axis=0)


def _response(rng, X, n_active, noise=0.5):
    d = X.shape[1]
    w = np.zeros(d)
    active = rng.choice(d, size=n_active, replace=False)
    w[active] = rng.choice([-1.0, 1.0], size=n_active) * rng.uniform(1.0, 3.0, size=n_active)
    w /= X.std(axis=0)  # every active feature contributes on the same scale
    y = X @ w + noise * rng.normal(size=len(X))
    return y - y.mean()


def _trusted_lasso(X, y, lam):
    """Cyclic coordinate descent run to machine precision, then checked against the KKT conditions."""
    n, d = X.shape
    w, r, norms = np.zeros(d), y.copy(), np.sum(X**2, axis=0)
    for _ in range(200_000):
        largest = 0.0
        for j in range(d):
            rho = X[:, j] @ r + norms[j] * w[j]
            new = np.sign(rho) * max(abs(rho) - lam, 0.0) / norms[j]
            if new != w[j]:
                r -= (new - w[j]) * X[:, j]
                largest = max(largest, abs(new - w[j]))
                w[j] = new
        if largest <= 1e-15 * max(np.max(np.abs(w)), 1e-300):
            break
    grad = X.T @ (y - X @ w)  # KKT: = lam sign(w_j) where w_j != 0, |.| <= lam where w_j = 0
    active = w != 0
    if not (np.allclose(grad[active], lam * np.sign(w[active]), rtol=1e-8, atol=1e-8 * lam)
            and np.all(np.abs(grad[~active]) <= lam * (1 + 1e-8))):
        raise RuntimeError("trusted lasso solver did not converge")
    return w


def _lambda_max(X, y):
    return float(np.max(np.abs(X.T @ y)))


# ---------------------------------------------------------------------------
# 1. ridge_fit(X, y, lam)
# ---------------------------------------------------------------------------


def _check_ridge(student, X, y, lam, what):
    d = X.shape[1]
    got = as_array(student.call("ridge_fit", X, y, float(lam)), "ridge_fit(...)", (d,))
    want = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)
    assert relative_error(got, want) < 1e-7, f"{what}: ridge_fit does not minimise 1/2 ||y - Xw||^2 + lam/2 ||w||^2"


@pytest.mark.grade_cell("ridge", weight=1)
def test_ridge_more_samples_than_features(student, rng):
    """ridge_fit(X, y, lam) minimises the ridge cost for more samples than features, for several lam"""
    n, d = int(rng.integers(30, 80)), int(rng.integers(4, 10))
    X = _design(rng, n, d, rho=0.6)
    y = _response(rng, X, n_active=min(3, d))
    for lam in rng.uniform(0.5, 3.0) * np.array([0.1, 10.0, 300.0]):
        _check_ridge(student, X, y, lam, f"for n = {n} samples and d = {d} features")


@pytest.mark.grade_cell("ridge", weight=1)
def test_ridge_more_features_than_samples(student, rng):
    """ridge_fit also works with more features than samples (d > n), where X^T X is singular"""
    n, d = int(rng.integers(15, 25)), int(rng.integers(35, 60))
    X = _design(rng, n, d, rho=0.3)
    y = _response(rng, X, n_active=4)
    for lam in rng.uniform(0.5, 3.0) * np.array([0.2, 5.0]):
        _check_ridge(student, X, y, lam, f"for n = {n} samples and d = {d} features")


# ---------------------------------------------------------------------------
# 2. soft_threshold(z, t)
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("soft_threshold", weight=1)
def test_soft_threshold(student, rng):
    """soft_threshold(z, t) = sign(z) max(|z| - t, 0) elementwise, for arrays of any shape"""
    t = float(rng.uniform(0.5, 2.0))
    z = rng.uniform(-4.0 * t, 4.0 * t, size=(int(rng.integers(5, 9)), int(rng.integers(3, 6))))
    z[0, :3] = [t / 2, -t / 3, 0.0]  # some entries inside the dead zone for sure
    z[1, :3] = [2.5 * t, -3 * t, 1.5 * t]  # and some outside
    got = as_array(student.call("soft_threshold", z, t), "soft_threshold(z, t)", z.shape)
    want = np.sign(z) * np.maximum(np.abs(z) - t, 0.0)
    assert np.max(np.abs(got - want)) <= 1e-12 * 4 * t, "soft_threshold(z, t) is wrong for some entries of z"


# ---------------------------------------------------------------------------
# 3. lasso_coordinate_descent(X, y, lam, n_iter)
# ---------------------------------------------------------------------------

N_ITER = 5000


def _check_lasso(student, X, y, lam, what, want=None):
    d = X.shape[1]
    got = as_array(student.call("lasso_coordinate_descent", X, y, float(lam), N_ITER, timeout=120),
                   "lasso_coordinate_descent(...)", (d,))
    want = _trusted_lasso(X, y, lam) if want is None else want
    scale = np.max(np.abs(want))
    assert np.all(np.abs(got - want) <= 1e-6 * scale), (
        f"{what}: the coefficients do not minimise 1/2 ||y - Xw||^2 + lam ||w||_1"
    )
    assert np.all(got[want == 0] == 0), f"{what}: coefficients that the lasso sets to zero must be exactly zero"
    return got


def _mixed_signs(w, at_least):
    return np.count_nonzero(w) >= at_least and np.any(w > 0) and np.any(w < 0)


def _lasso_problem(rng, n_range, d_range, rho, n_active, noise, fraction_range, at_least):
    """A problem whose lasso solution has at least `at_least` non-zero coefficients of both signs."""
    for _ in range(50):
        n, d = int(rng.integers(*n_range)), int(rng.integers(*d_range))
        X = _design(rng, n, d, rho=rho)
        y = _response(rng, X, n_active=n_active, noise=noise)
        lam = float(rng.uniform(*fraction_range) * _lambda_max(X, y))
        want = _trusted_lasso(X, y, lam)
        if _mixed_signs(want, at_least):
            return X, y, lam, want
    raise RuntimeError("could not draw a lasso problem with a mixed-sign solution")


@pytest.mark.grade_cell("lasso", weight=2)
def test_lasso_correlated_features(student, rng):
    """the lasso solution for correlated features of different scales (more samples than features)"""
    for fractions, at_least in (((0.002, 0.01), 4), ((0.05, 0.15), 2)):
        X, y, lam, want = _lasso_problem(rng, (60, 120), (8, 15), 0.5, 6, 0.5, fractions, at_least)
        _check_lasso(student, X, y, lam, f"for n = {len(X)} samples and d = {X.shape[1]} features", want)


@pytest.mark.grade_cell("lasso", weight=1)
def test_lasso_more_features_than_samples(student, rng):
    """the lasso solution for more features than samples (d > n), a sparse solution"""
    X, y, lam, want = _lasso_problem(rng, (30, 45), (60, 90), 0.2, 5, 0.3, (0.05, 0.2), 3)
    _check_lasso(student, X, y, lam, f"for n = {len(X)} samples and d = {X.shape[1]} features", want)


def _second_entry(X, y):
    """The lam below which a second feature becomes active (one active feature j* for lam in (it, lam_max))."""
    c = X.T @ y
    j = int(np.argmax(np.abs(c)))
    s, norm, a = np.sign(c[j]), X[:, j] @ X[:, j], X.T @ X[:, j]
    # for lam < lam_max: w_j = (c_j - lam s) / norm and c_k(lam) = c_k - a_k w_j; feature k enters at |c_k(lam)| = lam
    entries = []
    for k in range(X.shape[1]):
        if k == j:
            continue
        for sign in (1.0, -1.0):
            denominator = sign - a[k] * s / norm
            if abs(denominator) > 1e-12:
                lam = (c[k] - a[k] * c[j] / norm) / denominator
                if 0 < lam < abs(c[j]):
                    entries.append(lam)
    return max(entries, default=0.0)


@pytest.mark.grade_cell("lasso", weight=1)
def test_lasso_around_lambda_max(student, rng):
    """w = 0 exactly for lam above lam_max = max_j |x_j^T y|, and the one active feature just below it"""
    n, d = int(rng.integers(40, 80)), int(rng.integers(6, 12))
    X = _design(rng, n, d, rho=0.4)
    y = _response(rng, X, n_active=3)
    first = int(np.argmax(np.abs(X.T @ y)))
    order = [first] + [k for k in range(d) if k != first]
    X = X[:, order]  # the first feature to enter is column 0
    if X[:, 0] @ y > 0:
        y = -y  # and it gets a negative coefficient: signs must be handled
    lam_max = _lambda_max(X, y)
    above = as_array(
        student.call("lasso_coordinate_descent", X, y, float(rng.uniform(1.01, 1.5) * lam_max), N_ITER, timeout=120),
        "lasso_coordinate_descent(...)", (d,),
    )
    assert np.all(above == 0), "for lam above max_j |x_j^T y| every coefficient must be exactly zero"
    # just below lam_max only the feature with the largest |x_j^T y| is active
    lam_2 = _second_entry(X, y)
    lam = float(lam_2 + rng.uniform(0.3, 0.7) * (lam_max - lam_2))
    want = _trusted_lasso(X, y, lam)
    if np.count_nonzero(want) != 1:
        raise RuntimeError("expected exactly one active feature")
    _check_lasso(student, X, y, lam, "between lam_max and the lam where a second feature enters", want)
