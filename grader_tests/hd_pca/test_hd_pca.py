"""Hidden graders for hd_pca (Heidelberg ML and Physics, sheet on PCA). Inputs come from the secret seed via ``rng``."""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, as_float, relative_error

# ---------------------------------------------------------------------------
# trusted data and reference computations
# ---------------------------------------------------------------------------


def _random_rotation(rng, d):
    q, r = np.linalg.qr(rng.normal(size=(d, d)))
    return q * np.sign(np.diag(r))


def _data(rng, n, d, decay=0.7, offset=6.0):
    """Gaussian data with well separated variances along random orthogonal directions and a large mean."""
    stds = 3.0 * decay ** np.arange(d) * rng.uniform(0.95, 1.05, size=d)
    X = rng.normal(size=(n, d)) * stds @ _random_rotation(rng, d).T
    return X + rng.normal(0.0, offset, size=d)


def _low_rank_wide(rng, n, d, rank):
    """More features than samples: a rank-`rank` signal plus weak isotropic noise, far from the origin."""
    stds = 4.0 * 0.7 ** np.arange(rank)
    basis = _random_rotation(rng, d)[:, :rank]
    X = (rng.normal(size=(n, rank)) * stds) @ basis.T + 0.05 * rng.normal(size=(n, d))
    return X + rng.normal(0.0, 6.0, size=d)


def _trusted_spectrum(X):
    Xc = X - X.mean(axis=0)
    values, vectors = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order].T


# ---------------------------------------------------------------------------
# 1. pca(X, k) -> (components (k, d), explained_variance (k,))
# ---------------------------------------------------------------------------


def _student_pca(student, X, k):
    result = student.call("pca", X, int(k))
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        "pca must return a pair (components, explained_variance)"
    )
    d = X.shape[1]
    components = as_array(result[0], "components", (k, d))
    variances = as_array(result[1], "explained_variance", (k,))
    return components, variances


def _check_against_trusted(components, variances, X, k, what):
    values, vectors = _trusted_spectrum(X)
    assert relative_error(variances, values[:k]) < 1e-7, (
        f"{what}: the explained variances are not the {k} largest eigenvalues of the sample covariance matrix"
    )
    overlaps = np.abs(np.sum(components * vectors[:k], axis=1))
    assert np.all(overlaps > 1 - 1e-7), (
        f"{what}: the components are not the eigenvectors of the covariance matrix belonging to the {k} largest "
        "eigenvalues (in that order)"
    )


@pytest.mark.grade_cell("pca", weight=1)
def test_pca_shapes_orthonormal_and_ordered(student, rng):
    """pca(X, k) returns k orthonormal rows of length d and k variances in decreasing order"""
    d = int(rng.integers(6, 12))
    k = int(rng.integers(2, d - 2))
    X = _data(rng, n=int(rng.integers(80, 200)), d=d)
    components, variances = _student_pca(student, X, k)
    assert np.allclose(components @ components.T, np.eye(k), atol=1e-8), "the rows of `components` are not orthonormal"
    assert np.all(np.diff(variances) <= 1e-12 * np.max(np.abs(variances))), (
        "the explained variances are not in decreasing order"
    )


@pytest.mark.grade_cell("pca", weight=1)
def test_pca_matches_covariance_eigenvectors(student, rng):
    """the components and variances are the leading eigenpairs of the sample covariance (data with a large mean)"""
    d = int(rng.integers(5, 10))
    k = int(rng.integers(2, d))
    n = int(rng.integers(20, 60))  # few samples: the 1/(n-1) matters
    X = _data(rng, n=n, d=d)
    components, variances = _student_pca(student, X, k)
    _check_against_trusted(components, variances, X, k, f"for n = {n} samples in d = {d} dimensions")


@pytest.mark.grade_cell("pca", weight=1)
def test_pca_more_features_than_samples(student, rng):
    """pca also works with more features than samples (d > n)"""
    n, d = int(rng.integers(25, 40)), int(rng.integers(50, 80))
    k = int(rng.integers(3, 6))
    X = _low_rank_wide(rng, n, d, rank=6)
    components, variances = _student_pca(student, X, k)
    _check_against_trusted(components, variances, X, k, f"for n = {n} samples in d = {d} dimensions")


# ---------------------------------------------------------------------------
# 2. project / reconstruct with a given mean and components
# ---------------------------------------------------------------------------


def _projection_problem(rng):
    d = int(rng.integers(6, 15))
    k = int(rng.integers(2, d - 1))
    components = _random_rotation(rng, d)[:k]
    mean = rng.normal(0.0, 5.0, size=d)
    return d, k, components, mean


@pytest.mark.grade_cell("project_reconstruct", weight=1)
def test_project(student, rng):
    """project(X, mean, components) gives the scores U_k^T (x - mean) of new data, shape (n, k)"""
    d, k, components, mean = _projection_problem(rng)
    n = int(rng.integers(20, 50))
    X = rng.normal(0.0, 3.0, size=(n, d)) + rng.normal(0.0, 5.0, size=d)  # new data: its mean is not `mean`
    got = as_array(student.call("project", X, mean, components), "project(...)", (n, k))
    assert relative_error(got, (X - mean) @ components.T) < 1e-9, (
        "the scores are not U_k^T (x - mean) for each row x (with the mean and components passed in)"
    )


@pytest.mark.grade_cell("project_reconstruct", weight=1)
def test_reconstruct(student, rng):
    """reconstruct(Z, mean, components) gives mean + U_k z for every row z of the scores, shape (n, d)"""
    d, k, components, mean = _projection_problem(rng)
    n = int(rng.integers(20, 50))
    Z = rng.normal(0.0, 3.0, size=(n, k))
    got = as_array(student.call("reconstruct", Z, mean, components), "reconstruct(...)", (n, d))
    assert relative_error(got, Z @ components + mean) < 1e-9, (
        "the reconstructions are not mean + U_k z for each row z of the scores"
    )


# ---------------------------------------------------------------------------
# 3. n_components_for(X, fraction)
# ---------------------------------------------------------------------------


def _check_counts(student, rng, X, how_many):
    values, _ = _trusted_spectrum(X)
    ratio = np.cumsum(values) / np.sum(values)
    d = X.shape[1]
    targets = np.sort(rng.choice(np.arange(2, min(d, 16)), size=how_many, replace=False))
    for k in targets:
        # a fraction half-way between r_{k-1} and r_k: the answer is k, far from any tie
        fraction = float(0.5 * (ratio[k - 2] + ratio[k - 1]))
        got = as_float(student.call("n_components_for", X, fraction), "n_components_for(...)")
        assert got == round(got), "n_components_for must return a whole number"
        assert int(round(got)) == int(k), (
            f"n_components_for gives the wrong number of components for fraction = {fraction:.4f}"
        )


@pytest.mark.grade_cell("n_components", weight=1)
def test_n_components_few_features(student, rng):
    """n_components_for(X, fraction) finds the smallest k with explained variance ratio >= fraction"""
    X = _data(rng, n=int(rng.integers(100, 300)), d=int(rng.integers(8, 12)), decay=0.8)
    _check_counts(student, rng, X, how_many=3)


@pytest.mark.grade_cell("n_components", weight=1)
def test_n_components_many_features(student, rng):
    """n_components_for works for data with many features and a mean far from zero"""
    X = _data(rng, n=int(rng.integers(150, 300)), d=int(rng.integers(30, 45)), decay=0.85, offset=10.0)
    _check_counts(student, rng, X, how_many=3)
