"""Hidden graders for lecture03: accuracy of the student's classifiers on samples drawn here from the secret seed."""

import numpy as np
import pytest

from course_lib.grading.checks import as_array

X_GRID = np.linspace(-5, 5, 64)
IMAGE_SIZE = 20
SAMPLES = 400


def make_curves(rng, n, noise=0.05):
    """The notebook's curve generator: label 0 = Gaussian, 1 = Lorentzian."""
    centre = rng.uniform(-2, 2, size=(n, 1))
    width = rng.uniform(0.4, 1.5, size=(n, 1))
    height = rng.uniform(0.5, 2.0, size=(n, 1))
    labels = rng.integers(0, 2, size=n)
    d = (X_GRID - centre) / width
    curves = np.where(labels[:, None] == 1, height / (1 + d**2), height * np.exp(-d**2 / 2))
    return curves + noise * rng.normal(size=curves.shape), labels


def make_shapes(rng, n, noise=0.0):
    """The notebook's image generator: label 0 = filled square, 1 = filled circle."""
    yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE] + 0.5
    labels = rng.integers(0, 2, size=n)
    size = rng.uniform(5, 11, size=(n, 1, 1))
    cx = rng.uniform(size / 2, IMAGE_SIZE - size / 2)
    cy = rng.uniform(size / 2, IMAGE_SIZE - size / 2)
    square = (np.abs(xx - cx) <= size / 2) & (np.abs(yy - cy) <= size / 2)
    circle = (xx - cx) ** 2 + (yy - cy) ** 2 <= (size / 2) ** 2
    images = np.where(labels[:, None, None] == 1, circle, square).astype(float)
    return images + noise * rng.normal(size=images.shape), labels


def _accuracy(student, function, inputs, labels):
    got = as_array(student.call(function, inputs), f"{function}(...)", (len(labels),))
    assert np.all((got == 0) | (got == 1)), (
        f"`{function}` must return labels 0 or 1 (integers), not probabilities or other values"
    )
    return float(np.mean(got == labels))


@pytest.mark.grade_cell("classify_curves", weight=3)
def test_curves_accuracy(student, rng):
    """classify_curves tells Gaussians from Lorentzians on new random curves (accuracy >= 90 %)"""
    curves, labels = make_curves(rng, SAMPLES)
    accuracy = _accuracy(student, "classify_curves", curves, labels)
    assert accuracy >= 0.9, f"classify_curves is right for only {accuracy:.0%} of new curves; 90 % are needed"


@pytest.mark.grade_cell("classify_shapes", weight=2)
def test_shapes_without_noise(student, rng):
    """classify_shapes tells squares from circles on new images without noise (accuracy >= 90 %)"""
    images, labels = make_shapes(rng, SAMPLES, noise=0.0)
    accuracy = _accuracy(student, "classify_shapes", images, labels)
    assert accuracy >= 0.9, f"classify_shapes is right for only {accuracy:.0%} of new images without noise; 90 % are needed"


@pytest.mark.grade_cell("classify_shapes", weight=2)
def test_shapes_with_noise(student, rng):
    """classify_shapes tells squares from circles on new images with noise 0.4 (accuracy >= 75 %)"""
    images, labels = make_shapes(rng, SAMPLES, noise=0.4)
    accuracy = _accuracy(student, "classify_shapes", images, labels)
    assert accuracy >= 0.75, (
        f"classify_shapes is right for only {accuracy:.0%} of new images with noise 0.4; 75 % are needed"
    )
