"""Scoring of accepted autoencoder entries: variants, the cost definition, determinism."""

import json

import keras
import numpy as np
import pytest

from mlphys.challenges.autoencoder import SCORED_LAST_BATCHES, run_seeds, score_autoencoder_entry
from mlphys.challenges.circles import draw_circle_parameters, render_circles
from mlphys.challenges.fresh_copy import fresh_model_copy

from .entries import SMALL_BUDGET, dense_autoencoder


def test_course_example_is_accepted_as_medium_not_hard(example_entry):
    result = score_autoencoder_entry(example_entry, seed=3, runs=2, _budget_images=SMALL_BUDGET)
    assert result.accepted, result.message
    assert result.bottleneck == 9
    assert result.variants == ["MEDIUM"]
    assert result.training == "NORMAL" and result.batchsize == 30 and result.steps == SMALL_BUDGET // 30
    assert len(result.runs) == 2
    for run in result.runs:
        assert len(run["batch_costs"]) == result.steps
        assert run["last_batches_cost"] == pytest.approx(np.mean(run["batch_costs"][-SCORED_LAST_BATCHES:]))
        assert run["wall_time_s"] > 0
    assert result.score == pytest.approx(np.mean([run["last_batches_cost"] for run in result.runs]))
    assert result.score_stderr is not None and result.heldout_cost_stderr is not None
    record = json.loads(result.to_json())
    assert record["reproducibility"]["platform_version"]
    assert record["reproducibility"]["keras"] == keras.__version__


def test_last_fifty_batches_are_scored(write_ae):
    result = score_autoencoder_entry(write_ae(dense_autoencoder(3)), seed=4, runs=1, _budget_images=60 * 30)
    costs = result.runs[0]["batch_costs"]
    assert len(costs) == 60
    assert result.score == pytest.approx(np.mean(costs[10:]))
    assert result.variants == ["HARD", "MEDIUM"]


def regularised_autoencoder(optimizer):
    """Like dense_autoencoder(5) but with an L2 penalty that the Keras loss would include."""
    inputs = keras.Input((27, 27, 1))
    code = keras.layers.Dense(5, kernel_regularizer=keras.regularizers.L2(10.0))(keras.layers.Flatten()(inputs))
    outputs = keras.layers.Reshape((27, 27, 1))(keras.layers.Dense(729, activation="sigmoid")(code))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=optimizer, loss="mse")
    return model


@pytest.mark.parametrize("regularised", [False, True], ids=["plain", "l2-penalty"])
def test_batch_cost_is_the_forward_pass_mse_before_the_update(write_ae, regularised):
    """With a zero learning rate the weights never move, so each reported cost must equal the
    MSE of the freshly initialised network on exactly that step's circles, without penalties."""
    optimizer = keras.optimizers.SGD(learning_rate=0.0)
    model = regularised_autoencoder(optimizer) if regularised else dense_autoencoder(5, optimizer=optimizer)
    batchsize, steps = 16, 4
    entry = write_ae(model, {"batchsize": batchsize, "training": "NORMAL"})
    result = score_autoencoder_entry(entry, seed=21, runs=1, _budget_images=batchsize * steps + 7)
    assert result.accepted, result.message

    seeds = run_seeds(21, 0)
    keras.utils.set_random_seed(seeds.keras_seed)
    network = fresh_model_copy(model, (27, 27, 1))
    circles = render_circles(draw_circle_parameters(np.random.default_rng(seeds.training_data), steps * batchsize))
    expected = [
        float(np.mean((network.predict_on_batch(batch).astype(np.float64) - batch) ** 2))
        for batch in circles.reshape(steps, batchsize, 27, 27, 1)
    ]
    np.testing.assert_allclose(result.runs[0]["batch_costs"], expected, rtol=1e-5)
    if regularised:  # the penalty is large, so the Keras loss would be far off
        network.compile(optimizer="sgd", loss="mse")
        assert network.train_on_batch(circles[:batchsize], circles[:batchsize]) > 2 * expected[0]


def test_same_seed_same_score_and_different_seed_different_draws(example_entry):
    first = score_autoencoder_entry(example_entry, seed=77, runs=2, _budget_images=SMALL_BUDGET)
    again = score_autoencoder_entry(example_entry, seed=77, runs=2, _budget_images=SMALL_BUDGET)
    other = score_autoencoder_entry(example_entry, seed=78, runs=2, _budget_images=SMALL_BUDGET)
    assert [run["batch_costs"] for run in first.runs] == [run["batch_costs"] for run in again.runs]
    assert first.score == again.score and first.heldout_cost == again.heldout_cost
    assert first.runs[0]["batch_costs"] != first.runs[1]["batch_costs"]  # runs differ from each other
    assert first.runs[0]["batch_costs"] != other.runs[0]["batch_costs"]
    assert first.score != other.score


def test_initialiser_seeds_chosen_by_the_student_are_ignored():
    inputs = keras.Input((27, 27, 1))
    code = keras.layers.Dense(3, kernel_initializer=keras.initializers.GlorotUniform(seed=42))(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, keras.layers.Reshape((27, 27, 1))(keras.layers.Dense(729)(code)))
    kernels = []
    for platform_seed in (1, 2, 1):
        keras.utils.set_random_seed(platform_seed)
        kernels.append(fresh_model_copy(model, (27, 27, 1)).layers[2].get_weights()[0])
    assert not np.array_equal(kernels[0], kernels[1])
    np.testing.assert_array_equal(kernels[0], kernels[2])


def test_run_seeds_are_independent_streams():
    a, b = run_seeds(5, 0), run_seeds(5, 1)
    assert a.keras_seed != b.keras_seed
    draw = lambda seq: np.random.default_rng(seq).random(3).tolist()  # noqa: E731
    assert draw(a.training_data) != draw(a.heldout_data) != draw(b.training_data)
    assert run_seeds(5, 0).keras_seed == a.keras_seed


def test_course_example_under_normal_scores_near_the_course_value(example_entry):
    """The course says its example scores about 0.04 under NORMAL (one run here, full budget)."""
    result = score_autoencoder_entry(example_entry, seed=2020, runs=1)
    assert result.accepted, result.message
    assert result.steps == 1000
    assert 0.015 < result.score < 0.08
    assert 0.015 < result.heldout_cost < 0.08
