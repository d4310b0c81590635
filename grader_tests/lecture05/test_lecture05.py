"""Hidden graders for lecture05: the student's bottleneck activations against a NumPy forward pass of the trained weights.

The weights come from the notebook's given ``autoencoder_weights``; the grader first checks that a
NumPy forward pass with them reproduces the notebook's ``autoencoder_predict`` on secret images, so
the weights are those the trained model really uses, and then compares ``bottleneck`` with the
NumPy encoder half.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from course_lib.grading.checks import as_array, relative_error

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


@pytest.mark.grade_cell("bottleneck_shape", weight=1)
def test_shape_for_a_batch(student, rng):
    """bottleneck returns an array of shape (n, 8) for a batch of n images"""
    n = int(rng.integers(20, 60))
    as_array(student.call("bottleneck", _secret_images(rng, n)), "bottleneck(batch)", (n, 8))


@pytest.mark.grade_cell("bottleneck_shape", weight=1)
def test_shape_for_one_image(student, rng):
    """bottleneck returns shape (1, 8) for a batch of a single image"""
    as_array(student.call("bottleneck", _secret_images(rng, 1)), "bottleneck(batch) for one image", (1, 8))


@pytest.mark.grade_cell("bottleneck_values", weight=3)
def test_values_match_the_trained_encoder(student, rng):
    """bottleneck gives the activations of the trained bottleneck layer on new images"""
    batch = _secret_images(rng, 64)
    weights = _checked_weights(student, batch)
    codes = as_array(student.call("bottleneck", batch), "bottleneck(batch)", (len(batch), 8))
    error = relative_error(codes, _encode(weights, batch))
    assert error < TOLERANCE, (
        "bottleneck(batch) differs from the activations of the trained autoencoder's bottleneck layer "
        "(after its tanh) for new images"
    )
