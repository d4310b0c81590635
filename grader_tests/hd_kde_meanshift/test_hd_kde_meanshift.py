"""Hidden graders for hd_kde_meanshift (Heidelberg ML and Physics, sheet on KDE and mean shift).

Inputs come from the secret seed via ``rng``.
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, relative_error

POSITION_TOL = 1e-3  # end points / modes; data and bandwidths are of order one

# ---------------------------------------------------------------------------
# trusted data and reference computations
# ---------------------------------------------------------------------------


def _trusted_kde(x_eval, samples, h):
    d = samples.shape[1]
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-sq / (2 * h**2)), axis=1) / (2 * np.pi * h**2) ** (d / 2)


def _trusted_mean_shift(X, h):
    Y = X.copy()
    for _ in range(20_000):
        sq = np.sum((Y[:, None, :] - X[None, :, :]) ** 2, axis=2)
        w = np.exp(-(sq - sq.min(axis=1, keepdims=True)) / (2 * h**2))
        Y_new = w @ X / w.sum(axis=1, keepdims=True)
        step = np.max(np.linalg.norm(Y_new - Y, axis=1))
        Y = Y_new
        if step < 1e-12 * h:
            return Y
    raise RuntimeError("trusted mean shift did not converge")


def _group(ends, h):
    modes, labels = [], np.zeros(len(ends), dtype=int)
    for i, end in enumerate(ends):
        for k, mode in enumerate(modes):
            if np.linalg.norm(end - mode) < h / 2:
                labels[i] = k
                break
        else:
            modes.append(end)
            labels[i] = len(modes) - 1
    return np.array(modes), labels


def _centres(rng, k, d, separation):
    """k cluster centres in a box, pairwise at least `separation` apart."""
    while True:
        c = rng.uniform(0.0, separation * (k + 1) ** (1 / d) * 1.5, size=(k, d))
        if k == 1 or np.min([np.linalg.norm(a - b) for i, a in enumerate(c) for b in c[i + 1:]]) >= separation:
            return c


def _mixture(rng, d, k, separation=7.0):
    centres = _centres(rng, k, d, separation)
    sizes = rng.integers(25, 60, size=k)
    stds = rng.uniform(0.7, 1.3, size=k)
    X = np.vstack([rng.normal(c, s, size=(m, d)) for c, s, m in zip(centres, stds, sizes)])
    return X[rng.permutation(len(X))]


def _clean_problem(rng, d, k, h_range, separation=7.0, expect=None):
    """A mixture whose KDE has exactly `expect` (default k) modes at the drawn bandwidth: no shallow side modes."""
    for _ in range(100):
        X = _mixture(rng, d, k, separation)
        h = float(rng.uniform(*h_range))
        ends = _trusted_mean_shift(X, h)
        modes, labels = _group(ends, h)
        if len(modes) == (k if expect is None else expect):
            return X, h, ends, modes, labels
    raise RuntimeError("could not draw a clean mixture")


# ---------------------------------------------------------------------------
# 1. gaussian_kde(x_eval, samples, bandwidth)
# ---------------------------------------------------------------------------


def _check_kde(student, rng, d, n, m):
    samples = rng.normal(0.0, 1.0, size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.normal(0.0, 2.0, size=d)
    x_eval = samples[rng.choice(n, size=m)] + rng.normal(0.0, 1.0, size=(m, d))
    h = float(rng.uniform(0.3, 1.5))
    got = as_array(student.call("gaussian_kde", x_eval, samples, h), "gaussian_kde(...)", (m,))
    assert relative_error(got, _trusted_kde(x_eval, samples, h)) < 1e-8, (
        f"the density estimate in d = {d} dimensions is wrong (check the kernel and its normalisation)"
    )


@pytest.mark.grade_cell("kde", weight=1)
def test_kde_one_dimension(student, rng):
    """gaussian_kde evaluates the Gaussian KDE of 1D samples (arrays of shape (m, 1) and (n, 1))"""
    _check_kde(student, rng, d=1, n=int(rng.integers(50, 200)), m=int(rng.integers(30, 80)))


@pytest.mark.grade_cell("kde", weight=1)
def test_kde_two_dimensions(student, rng):
    """gaussian_kde evaluates the Gaussian KDE of 2D samples"""
    _check_kde(student, rng, d=2, n=int(rng.integers(50, 200)), m=int(rng.integers(30, 80)))


@pytest.mark.grade_cell("kde", weight=1)
def test_kde_three_dimensions(student, rng):
    """gaussian_kde evaluates the Gaussian KDE in three dimensions"""
    _check_kde(student, rng, d=3, n=int(rng.integers(50, 200)), m=int(rng.integers(30, 80)))


# ---------------------------------------------------------------------------
# 2. mean_shift(points, bandwidth)
# ---------------------------------------------------------------------------


def _check_ends(student, X, h, ends, what):
    got = as_array(student.call("mean_shift", X, h, timeout=120), "mean_shift(points, bandwidth)", X.shape)
    far = np.linalg.norm(got - ends, axis=1) > POSITION_TOL
    assert not np.any(far), (
        f"{what}: {np.sum(far)} of {len(X)} trajectories do not end at the mode of the KDE that mean shift reaches"
    )


@pytest.mark.grade_cell("mean_shift", weight=1)
def test_mean_shift_one_dimension(student, rng):
    """mean_shift ends every trajectory at the KDE mode it climbs to, for a 1D mixture"""
    X, h, ends, _, _ = _clean_problem(rng, d=1, k=int(rng.integers(2, 4)), h_range=(0.7, 1.1))
    _check_ends(student, X, h, ends, "for a one-dimensional mixture")


@pytest.mark.grade_cell("mean_shift", weight=2)
def test_mean_shift_two_dimensions(student, rng):
    """mean_shift ends every trajectory at the KDE mode it climbs to, for 2D mixtures and two bandwidths"""
    X, h, ends, _, _ = _clean_problem(rng, d=2, k=int(rng.integers(2, 5)), h_range=(0.8, 1.3))
    _check_ends(student, X, h, ends, "for a two-dimensional mixture")
    # a large bandwidth merges two nearby clusters into one mode
    near = np.vstack([rng.normal([0.0, 0.0], 1.0, size=(40, 2)), rng.normal([1.5, 0.0], 1.0, size=(40, 2))])
    far_cluster = rng.normal([12.0, 0.0], 1.0, size=(40, 2))
    X2 = np.vstack([near, far_cluster]) @ np.linalg.qr(rng.normal(size=(2, 2)))[0]
    h2 = float(rng.uniform(1.6, 2.0))
    _check_ends(student, X2, h2, _trusted_mean_shift(X2, h2), "for a larger bandwidth")


# ---------------------------------------------------------------------------
# 3. find_modes(points, bandwidth) -> (modes, labels)
# ---------------------------------------------------------------------------


def _check_modes(student, X, h, ends, modes, what):
    result = student.call("find_modes", X, h, timeout=120)
    assert isinstance(result, (tuple, list)) and len(result) == 2, "find_modes must return a pair (modes, labels)"
    d = X.shape[1]
    got_modes = as_array(result[0], "modes", (None, d))
    labels = as_array(result[1], "labels", (len(X),))
    assert np.all(labels == np.round(labels)), "`labels` must be integers"
    assert len(got_modes) == len(modes), f"{what}: the number of modes is wrong"
    labels = labels.astype(int)
    assert labels.min() >= 0 and labels.max() < len(got_modes), "every label must be an index into `modes`"
    for mode in modes:
        assert np.min(np.linalg.norm(got_modes - mode, axis=1)) < POSITION_TOL, f"{what}: a mode is in the wrong place"
    wrong = np.linalg.norm(got_modes[labels] - ends, axis=1) > POSITION_TOL
    assert not np.any(wrong), f"{what}: {np.sum(wrong)} points are labelled with the wrong mode"


@pytest.mark.grade_cell("find_modes", weight=1)
def test_find_modes_well_separated(student, rng):
    """find_modes returns one mode per well separated cluster, and labels every point with its mode"""
    X, h, ends, modes, _ = _clean_problem(rng, d=2, k=int(rng.integers(3, 6)), h_range=(0.8, 1.3))
    _check_modes(student, X, h, ends, modes, "for well separated clusters")


@pytest.mark.grade_cell("find_modes", weight=1)
def test_find_modes_one_dimension_and_merged(student, rng):
    """find_modes in 1D, where a larger bandwidth merges two of the clusters"""
    for _ in range(100):
        near = np.concatenate([rng.normal(0.0, 1.0, 50), rng.normal(1.8, 1.0, 50)])
        others = np.concatenate([rng.normal(c, 1.0, 40) for c in (-12.0, 14.0)])
        X = rng.permutation(np.concatenate([near, others]))[:, None] + rng.normal(0.0, 5.0)
        h = float(rng.uniform(1.4, 1.8))
        ends = _trusted_mean_shift(X, h)
        modes, _ = _group(ends, h)
        if len(modes) == 3:
            break
    else:
        raise RuntimeError("could not draw a clean 1D mixture")
    _check_modes(student, X, h, ends, modes, "for a 1D mixture")
