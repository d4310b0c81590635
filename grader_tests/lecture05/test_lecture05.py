"""Hidden graders for lecture05: the bottleneck activations against a NumPy forward pass of the trained weights,
and the two neighbourhood measures of part 2 against a trusted computation on secret point sets.

The weights come from the notebook's given ``autoencoder_weights``; the grader first checks that a
NumPy forward pass with them reproduces the notebook's ``autoencoder_predict`` on secret images, so
the weights are those the trained model really uses, and then compares ``bottleneck`` with the
NumPy encoder half.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from course_lib.grading.checks import as_array, as_float, relative_error

LAYER_SHAPES = [(64, 32), (32,), (32, 8), (8,), (8, 32), (32,), (32, 64), (64,)]
TOLERANCE = 1e-4


def _relu(z):
    return np.maximum(z, 0.0)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _trusted_weights(student):
    raw = student.call("autoencoder_weights")
    assert isinstance(raw, (list, tuple)) and len(raw) == len(LAYER_SHAPES), (
        "autoencoder_weights() no longer returns the 8 weight arrays of the given autoencoder; do not change the given cells"
    )
    return [as_array(w, f"autoencoder_weights()[{k}]", shape) for k, (w, shape) in enumerate(zip(raw, LAYER_SHAPES))]


def _encode(weights, batch):
    w1, b1, w2, b2 = weights[:4]
    return np.tanh(_relu(batch.reshape(len(batch), 64) @ w1 + b1) @ w2 + b2)


def _decode(weights, codes):
    w3, b3, w4, b4 = weights[4:]
    return _sigmoid(_relu(codes @ w3 + b3) @ w4 + b4).reshape(len(codes), 8, 8)


def _secret_images(rng, n):
    """Half noisy digits, half uniformly random images, in a secret order."""
    digits = load_digits().images / 16.0
    chosen = digits[rng.choice(len(digits), size=n - n // 2, replace=False)]
    noisy = np.clip(chosen + rng.normal(0.0, 0.1, size=chosen.shape), 0.0, 1.0)
    batch = np.concatenate([noisy, rng.uniform(0.0, 1.0, size=(n // 2, 8, 8))])
    return batch[rng.permutation(n)]


def _checked_weights(student, batch):
    weights = _trusted_weights(student)
    reconstruction = as_array(student.call("autoencoder_predict", batch), "autoencoder_predict(...)", (len(batch), 8, 8))
    assert relative_error(reconstruction, _decode(weights, _encode(weights, batch))) < TOLERANCE, (
        "the autoencoder no longer matches autoencoder_weights(); do not change the given autoencoder cell"
    )
    return weights


@pytest.mark.grade_cell("bottleneck", weight=1)
def test_values_match_the_trained_encoder(student, rng):
    """bottleneck gives the activations of the trained bottleneck layer on a new batch of images"""
    batch = _secret_images(rng, int(rng.integers(40, 80)))
    weights = _checked_weights(student, batch)
    codes = as_array(student.call("bottleneck", batch), "bottleneck(batch)", (len(batch), 8))
    assert relative_error(codes, _encode(weights, batch)) < TOLERANCE, (
        "bottleneck(batch) differs from the activations of the trained autoencoder's bottleneck layer "
        "(after its tanh) for new images"
    )


@pytest.mark.grade_cell("bottleneck", weight=1)
def test_values_for_one_image(student, rng):
    """bottleneck gives shape (1, 8) and the trained activations for a batch of a single image"""
    batch = _secret_images(rng, 1)
    weights = _trusted_weights(student)
    codes = as_array(student.call("bottleneck", batch), "bottleneck(batch) for one image", (1, 8))
    assert relative_error(codes, _encode(weights, batch)) < TOLERANCE, (
        "bottleneck(batch) for a batch of one image differs from the trained bottleneck activations"
    )


# ---------------------------------------------------------------------------
# 2. the two measures of a map, against a trusted computation on secret point sets
# ---------------------------------------------------------------------------


def _trusted_neighbours(points, k):
    distances = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1)[:, :k]


def _trusted_agreement(points, labels, k):
    return float(np.mean(labels[_trusted_neighbours(points, k)] == labels[:, None]))


def _trusted_preservation(high, low, k):
    near_high, near_low = _trusted_neighbours(high, k), _trusted_neighbours(low, k)
    return float(np.mean([len(set(a) & set(b)) / k for a, b in zip(near_high, near_low)]))


def _clusters(rng, n, dim, classes, spread):
    """n labelled points around `classes` random centres; continuous coordinates, so no distance ties."""
    labels = rng.integers(classes, size=n)
    centres = rng.normal(0.0, 1.0, size=(classes, dim))
    return centres[labels] + rng.normal(0.0, spread, size=(n, dim)), labels


def _measure(student, name, *args):
    return as_float(student.call(name, *args), f"{name}(...)")


@pytest.mark.grade_cell("label_agreement", weight=1)
def test_label_agreement_of_overlapping_clusters(student, rng):
    """label_agreement(points, labels, k) on new labelled point clouds in several dimensions"""
    points, labels = _clusters(rng, int(rng.integers(60, 150)), int(rng.integers(2, 9)), int(rng.integers(3, 7)), 0.6)
    k = int(rng.integers(3, 12))
    got = _measure(student, "label_agreement", points, labels, k)
    assert abs(got - _trusted_agreement(points, labels, k)) < 1e-9, f"label_agreement is wrong for k = {k}"


@pytest.mark.grade_cell("label_agreement", weight=1)
def test_label_agreement_of_a_small_set(student, rng):
    """label_agreement for a small set of points with unevenly sized classes and k = 1 or 2"""
    n = int(rng.integers(8, 20))
    points, labels = rng.normal(size=(n, 3)), rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    for k in (1, 2):
        got = _measure(student, "label_agreement", points, labels, k)
        assert abs(got - _trusted_agreement(points, labels, k)) < 1e-9, f"label_agreement is wrong for k = {k}"


@pytest.mark.grade_cell("neighbourhood_preservation", weight=1)
def test_preservation_by_a_projection(student, rng):
    """neighbourhood_preservation(high, low, k) for a random linear projection to two dimensions"""
    high, _ = _clusters(rng, int(rng.integers(60, 150)), int(rng.integers(4, 10)), 4, 0.5)
    low = high @ rng.normal(size=(high.shape[1], 2))
    k = int(rng.integers(3, 12))
    got = _measure(student, "neighbourhood_preservation", high, low, k)
    assert abs(got - _trusted_preservation(high, low, k)) < 1e-9, (
        f"neighbourhood_preservation is wrong for a projection, k = {k}"
    )


@pytest.mark.grade_cell("neighbourhood_preservation", weight=1)
def test_preservation_by_a_slightly_disturbed_copy(student, rng):
    """neighbourhood_preservation for a slightly disturbed copy of the points (most neighbours kept)"""
    n, k = int(rng.integers(30, 80)), int(rng.integers(2, 8))
    high = rng.normal(size=(n, 5))
    low = high + rng.normal(0.0, 0.15, size=high.shape)
    got = _measure(student, "neighbourhood_preservation", high, low, k)
    assert abs(got - _trusted_preservation(high, low, k)) < 1e-9, (
        f"neighbourhood_preservation is wrong for a disturbed copy, k = {k}"
    )
