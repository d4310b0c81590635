"""Hidden graders for sd_digits_keras (Studierendentage, neural networks exercise 4). Inputs come from the secret seed via ``rng``.

The notebook trains on a fixed split of scikit-learn's digits; the graders draw a secret selection of
the held-out part, perturb it slightly, and judge the student's trained network only through
``student.call`` on those inputs.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from course_lib.grading.checks import as_array

HELD_OUT_ACCURACY = 0.90  # the reference network reaches ~0.96-0.97 on these perturbed digits
RELOAD_TOLERANCE = 1e-4  # outputs after a save/load round trip agree to float32 rounding
CALL_TIMEOUT = 120  # the first call into a Keras model traces it; leave room on a loaded machine


def _held_out_digits(rng, n):
    """A secret selection of the notebook's held-out test digits, with small pixel noise (grey values 0..16)."""
    digits = load_digits()
    test_part = np.random.default_rng(0).permutation(len(digits.target))[1200:]
    chosen = rng.choice(test_part, size=n, replace=False)
    images = digits.images[chosen].reshape(-1, 64) + rng.normal(0.0, 0.5, size=(n, 64))
    return np.clip(images, 0.0, 16.0), digits.target[chosen]


def _outputs(student, name, images):
    return as_array(student.call(name, images, timeout=CALL_TIMEOUT), f"{name}(images)", (len(images), 10))


# ---------------------------------------------------------------------------
# 1. predict_digits(images) -> (n, 10) probabilities of the trained model
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("model", weight=1)
def test_returns_probabilities(student, rng):
    """predict_digits returns an (n, 10) array of class probabilities for raw digits (grey values 0 to 16)"""
    images = rng.uniform(0.0, 16.0, size=(int(rng.integers(5, 20)), 64))
    p = _outputs(student, "predict_digits", images)
    assert np.all(p >= -1e-6) and np.allclose(p.sum(axis=1), 1.0, atol=1e-3), (
        "predict_digits must return probabilities: non-negative rows that sum to 1 (use a softmax output layer)"
    )


@pytest.mark.grade_cell("model", weight=3)
def test_held_out_accuracy(student, rng):
    """the trained network classifies a secret selection of held-out digits (slightly perturbed) with >= 90 % accuracy"""
    images, labels = _held_out_digits(rng, 400)
    p = _outputs(student, "predict_digits", images)
    accuracy = float(np.mean(p.argmax(axis=1) == labels))
    assert accuracy >= HELD_OUT_ACCURACY, (
        f"the network recognises only {accuracy:.1%} of held-out digits; at least 90 % is required "
        "(check the scaling of the inputs in training and in predict_digits, and the training itself)"
    )


# ---------------------------------------------------------------------------
# 2. predict_reloaded(images): the model saved to and loaded from digits_model.keras
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("save_reload", weight=1)
def test_reloaded_model_predicts_the_same(student, rng):
    """predict_reloaded gives the same probabilities as predict_digits on held-out digits and on random images"""
    digits, _ = _held_out_digits(rng, 100)
    noise = rng.uniform(0.0, 16.0, size=(50, 64))
    for images, what in ((digits, "held-out digits"), (noise, "random images")):
        original = _outputs(student, "predict_digits", images)
        reloaded = _outputs(student, "predict_reloaded", images)
        assert np.max(np.abs(reloaded - original)) <= RELOAD_TOLERANCE * max(1.0, float(np.max(np.abs(original)))), (
            f"on {what}, predict_reloaded and predict_digits give different probabilities: the reloaded model "
            "is not the trained one (save after training, load that file, scale the inputs the same way)"
        )


@pytest.mark.grade_cell("save_reload", weight=1)
def test_reloaded_model_is_trained(student, rng):
    """the reloaded model classifies a secret selection of held-out digits with >= 90 % accuracy"""
    images, labels = _held_out_digits(rng, 300)
    accuracy = float(np.mean(_outputs(student, "predict_reloaded", images).argmax(axis=1) == labels))
    assert accuracy >= HELD_OUT_ACCURACY, (
        f"the reloaded model recognises only {accuracy:.1%} of held-out digits: it is not the trained network"
    )
