"""Hidden graders for sd_decision_boundaries (Studierendentage, neural networks exercise 2). Inputs come from the secret seed via ``rng``."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from course_lib.grading.checks import as_array, relative_error

# Share of grid points that must agree with the trusted fit. The tree and the boosted trees are exactly
# reproducible from the same data, so nearly all must agree (a fully grown tree instead of max_depth=4 agrees
# on at most 98.3 % of the grid in 300 secret draws); an lbfgs MLP can end a little differently in the
# sandboxed kernel than here, so grid points near its boundary may differ.
AGREEMENT = {"tree": 0.995, "boosting": 0.995, "mlp": 0.95}


def _seed(rng):
    return int(rng.integers(0, 2**31 - 1))


def _stretch(rng, X):
    """A secret affine change of units: the second feature becomes 5-20 times larger and shifted."""
    scale = np.array([rng.uniform(0.8, 1.5), rng.uniform(5.0, 20.0)])
    return X * scale + rng.uniform(-3.0, 3.0, size=2)


def _moons(rng):
    X, y = make_moons(n_samples=int(rng.integers(150, 250)), noise=rng.uniform(0.2, 0.3), random_state=_seed(rng))
    return _stretch(rng, X), y


def _circles(rng):
    X, y = make_circles(n_samples=int(rng.integers(150, 250)), noise=rng.uniform(0.05, 0.12), factor=0.5,
                        random_state=_seed(rng))
    return _stretch(rng, X), y


def _blobs(rng):
    X, y = make_blobs(n_samples=int(rng.integers(150, 250)), centers=3, cluster_std=rng.uniform(1.2, 1.8),
                      random_state=_seed(rng))
    return _stretch(rng, X), y


def _trusted_grid(X, resolution):
    return np.meshgrid(np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, resolution),
                       np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, resolution))


def _trusted_classifier(name):
    return {
        "tree": DecisionTreeClassifier(max_depth=4, random_state=0),
        "mlp": make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(32, 32), solver="lbfgs",
                                                             max_iter=2000, random_state=0)),
        "boosting": GradientBoostingClassifier(n_estimators=100, max_depth=2, random_state=0),
    }[name]


def _check_grid(xx, yy, X, resolution, what):
    want_x, want_y = _trusted_grid(X, resolution)
    assert relative_error(xx, want_x) < 1e-9 and relative_error(yy, want_y) < 1e-9, (
        f"{what}: the grid does not span min - 0.5 ... max + 0.5 of each feature in the meshgrid layout of the task "
        "(xx varies along the columns, yy along the rows)"
    )


# ---------------------------------------------------------------------------
# 1. make_grid(X, resolution)
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("grid", weight=1)
def test_make_grid(student, rng):
    """make_grid spans each feature's range plus 0.5 on both sides, as a meshgrid of shape (resolution, resolution)"""
    for X, resolution in ((_moons(rng)[0], int(rng.integers(20, 40))), (_blobs(rng)[0], int(rng.integers(41, 80)))):
        result = student.call("make_grid", X, resolution)
        assert isinstance(result, (tuple, list)) and len(result) == 2, "make_grid must return a pair (xx, yy)"
        xx = as_array(result[0], "xx", (resolution, resolution))
        yy = as_array(result[1], "yy", (resolution, resolution))
        _check_grid(xx, yy, X, resolution, f"for resolution {resolution}")


# ---------------------------------------------------------------------------
# 2. grid_predictions(name, X, y, resolution) -> (xx, yy, Z)
# ---------------------------------------------------------------------------


def _check_predictions(student, rng, name, X, y, what):
    resolution = int(rng.integers(40, 70))
    result = student.call("grid_predictions", name, X, y, resolution)
    assert isinstance(result, (tuple, list)) and len(result) == 3, "grid_predictions must return (xx, yy, Z)"
    xx = as_array(result[0], "xx", (resolution, resolution))
    yy = as_array(result[1], "yy", (resolution, resolution))
    Z = as_array(result[2], "Z", (resolution, resolution))
    _check_grid(xx, yy, X, resolution, f"{name!r} on {what}")
    assert np.all(np.isin(Z, np.unique(y))), f"{name!r} on {what}: Z must hold predicted class labels"
    model = _trusted_classifier(name)
    with threadpool_limits(1), warnings.catch_warnings():  # one BLAS thread, like the notebook: the same lbfgs path
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    want = model.predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    agreement = float(np.mean(Z == want))
    assert agreement >= AGREEMENT[name], (
        f"{name!r} on {what}: only {agreement:.0%} of the grid predictions agree with the classifier specified in "
        "the task (check its settings, the scaling, and that Z[j, k] belongs to the point (xx[j, k], yy[j, k]))"
    )


@pytest.mark.grade_cell("boundaries", weight=1)
def test_tree_predictions(student, rng):
    """grid_predictions('tree', ...) on new half moons and new blobs with features of different sizes"""
    _check_predictions(student, rng, "tree", *_moons(rng), "half moons")
    _check_predictions(student, rng, "tree", *_blobs(rng), "three blobs")


@pytest.mark.grade_cell("boundaries", weight=1)
def test_mlp_predictions(student, rng):
    """grid_predictions('mlp', ...) on new circles and half moons with features of different sizes"""
    _check_predictions(student, rng, "mlp", *_circles(rng), "circles")
    _check_predictions(student, rng, "mlp", *_moons(rng), "half moons")


@pytest.mark.grade_cell("boundaries", weight=1)
def test_boosting_predictions(student, rng):
    """grid_predictions('boosting', ...) on new blobs (three classes) and circles"""
    _check_predictions(student, rng, "boosting", *_blobs(rng), "three blobs")
    _check_predictions(student, rng, "boosting", *_circles(rng), "circles")
