"""Scoring of maze policies: accepted policies, output kinds, rejections, determinism."""

import json

import keras
import numpy as np
import pytest
from keras import layers

from mlphys import maze
from mlphys.challenges.maze_score import score_maze_entry
from course_lib.challenges.reference_models import build_uniform_random_policy

from .entries import softmax_policy


def score(entry_dir, **kwargs):
    kwargs.setdefault("episodes", 60)
    result = score_maze_entry(entry_dir, seed=kwargs.pop("seed", 9), **kwargs)
    json.loads(result.to_json())
    return result


def assert_rejected(result, reason, *words):
    assert result.accepted is False
    assert result.rejection_reason == reason, result.message
    for word in words:
        assert word in result.message, result.message


def uniform_action_map_policy():
    return keras.Sequential(
        [
            keras.Input((15, 15, 3)),
            layers.Conv2D(5, 1, kernel_initializer="zeros", bias_initializer="zeros"),
            layers.Softmax(),
        ]
    )


def test_uniform_random_policy_is_scored(write_policy):
    result = score(write_policy(build_uniform_random_policy()), episodes=300)
    assert result.accepted, result.message
    assert result.output_kind == "probabilities" and result.parameters == 20
    assert len(result.returns) == 300
    assert result.score == np.mean(result.returns)
    assert result.score_stderr == pytest.approx(np.std(result.returns, ddof=1) / np.sqrt(300))
    assert 0.3 < result.score < 3.0


def test_score_equals_the_environment_played_with_the_same_probabilities(write_policy):
    """The scorer is the vectorised environment with the platform's draws, nothing else."""
    result = score(write_policy(build_uniform_random_policy()), episodes=40, seed=12)
    expected = maze.play_episodes(maze.draw_episodes(12, 40), lambda obs: np.full((len(obs), 5), 0.2, dtype=np.float32))
    assert result.returns == expected.returns.tolist()


def test_action_map_output_read_at_the_robot_cell(write_policy):
    action_map = score(write_policy(uniform_action_map_policy(), name="map"), episodes=80)
    probabilities = score(write_policy(build_uniform_random_policy(), name="probs"), episodes=80)
    assert action_map.accepted and action_map.output_kind == "action_map"
    assert action_map.returns == probabilities.returns


def test_same_seed_same_score_and_different_seed_different_episodes(write_policy):
    entry = write_policy(build_uniform_random_policy())
    first, again, other = score(entry, seed=1), score(entry, seed=1), score(entry, seed=2)
    assert first.returns == again.returns and first.score == again.score
    assert first.returns != other.returns


def test_probabilities_not_summing_to_one(write_policy):
    model = keras.Sequential([keras.Input((15, 15, 3)), layers.Flatten(), layers.Dense(5, activation="sigmoid", kernel_initializer="zeros")])
    assert_rejected(score(write_policy(model)), "invalid_probabilities", "sum to 2.5", "episode 0, step 0")


def test_negative_probabilities(write_policy):
    model = keras.Sequential(
        [
            keras.Input((15, 15, 3)),
            layers.Flatten(),
            layers.Dense(5, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant([0.5, 0.5, 0.5, -0.5, 0.0])),
        ]
    )
    assert_rejected(score(write_policy(model)), "invalid_probabilities", "negative")


def test_nan_outputs(write_policy):
    inputs = keras.Input((15, 15, 3))
    logits = layers.Dense(5, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(-1.0))(layers.Flatten()(inputs))
    model = keras.Model(inputs, layers.Softmax()(keras.ops.sqrt(logits)))
    assert_rejected(score(write_policy(model)), "invalid_probabilities", "NaN")


def test_wrong_output_shape(write_policy):
    assert_rejected(score(write_policy(softmax_policy(units=4))), "wrong_output_shape", "(batch, 4)")


def test_wrong_input_shape(write_policy):
    model = keras.Sequential([keras.Input((16, 16, 3)), layers.Flatten(), layers.Dense(5), layers.Softmax()])
    assert_rejected(score(write_policy(model)), "wrong_input_shape", "15, 15, 3", "16, 16, 3")


def test_lambda_layer(write_policy):
    model = keras.Sequential([keras.Input((15, 15, 3)), layers.Lambda(lambda x: x), layers.Flatten(), layers.Dense(5), layers.Softmax()])
    assert_rejected(score(write_policy(model)), "lambda_layer", "Lambda")


def test_too_many_parameters(write_policy):
    model = keras.Sequential([keras.Input((15, 15, 3)), layers.Flatten(), layers.Dense(800), layers.Dense(5), layers.Softmax()])
    assert_rejected(score(write_policy(model)), "too_many_parameters", "544,805", "500,000")


def test_corrupted_and_missing_policy_file(write_policy):
    entry = write_policy(build_uniform_random_policy())
    (entry / "maze_policy.keras").write_bytes(b"\x00" * 100)
    assert_rejected(score(entry), "corrupted_file", "maze_policy.keras", "corrupted")
    (entry / "maze_policy.keras").unlink()
    assert_rejected(score(entry), "missing_file", "maze_policy.keras", "missing")


def test_a_policy_compiled_with_a_custom_loss_is_still_accepted(write_policy):
    """Only the architecture matters for the maze; the training loss is never loaded."""
    model = build_uniform_random_policy()
    model.compile(optimizer="adam", loss=lambda y, p: keras.ops.mean(p))
    assert score(write_policy(model)).accepted
