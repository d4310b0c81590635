"""The shipped reference entries and the baseline-policy training script (tiny runs only)."""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from course_lib.leaderboard.references import REFERENCE_DIR, REFERENCES
from course_lib.leaderboard.submissions import check_entry_files

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda r: r.folder)
def test_reference_entries_ship_as_small_complete_entries(reference):
    folder = REFERENCE_DIR / reference.folder
    files, training = check_entry_files(reference.challenge, folder)
    assert all(path.stat().st_size < 1_000_000 for path in files.values())
    if reference.challenge == "autoencoder":
        assert training == ("LONG" if reference.folder.endswith("_long") else "NORMAL")


def test_baseline_policy_records_how_it_was_trained():
    report = json.loads((REFERENCE_DIR / "baseline_maze_policy" / "training.json").read_text())
    assert report["script"] == "course_lib/challenges/train_baseline_policy.py"
    assert report["trials"] == len(report["mean_return_per_trial"])
    assert report["self_evaluation"]["accepted"] and report["self_evaluation"]["score"] > 1.5  # random: about 1


def test_policy_gradient_loss_has_the_gradient_of_its_formula():
    """Keras' own cross-entropy on a softmax output has a wrong gradient for such targets."""
    import keras
    import tensorflow as tf

    from course_lib.challenges.train_baseline_policy import policy_gradient_loss

    logits = tf.Variable(np.array([[0.3, -0.2, 0.1, 0.0, 0.5]], dtype=np.float32))
    targets = np.array([[0.0, -2.0, 0.0, 0.0, 0.0]], dtype=np.float32)  # advantage -2 for action 1
    with tf.GradientTape(persistent=True) as tape:
        probabilities = keras.activations.softmax(tf.identity(logits))  # as a softmax layer produces it
        ours = tf.reduce_sum(policy_gradient_loss(targets, probabilities))
        builtin = tf.reduce_sum(keras.losses.categorical_crossentropy(targets, probabilities))
    expected = -2.0 * (tf.nn.softmax(logits).numpy()[0] - np.eye(5)[1])  # d(-A log p_a)/dlogits = A (p - e_a)
    np.testing.assert_allclose(tape.gradient(ours, logits).numpy()[0], expected, rtol=1e-5, atol=1e-6)
    assert not np.allclose(tape.gradient(builtin, logits).numpy()[0], expected, atol=1e-3)


def test_training_script_writes_an_entry_the_scorer_accepts(tmp_path):
    from mlphys.challenges.maze_score import score_maze_entry
    from course_lib.challenges.train_baseline_policy import main

    out = tmp_path / "policy"
    assert main(["--out", str(out), "--trials", "2", "--batch", "4", "--evaluate", "5"]) == 0
    report = json.loads((out / "training.json").read_text())
    assert len(report["mean_return_per_trial"]) == 2 and report["self_evaluation"]["episodes"] == 5
    result = score_maze_entry(Path(out), seed=3, episodes=5)
    assert result.accepted and result.output_kind == "action_map"
