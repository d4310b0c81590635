"""Scoring of a Grand Autoencoder Challenge entry.

An entry directory holds `autoencoder.keras` (architecture and compiled optimizer) and
`autoencoder.json` (batch size and NORMAL/LONG budget). The platform owns everything else: it
re-initialises the weights, re-creates the student's optimizer from its saved configuration,
trains with MSE on freshly generated circles for exactly `budget // batchsize` steps of Keras
`train_on_batch`, K times under seeds derived from a secret seed, and reports the mean over runs
of the cost of the last 50 training batches and the cost on 1,000 fresh held-out circles.

The training loop adds nothing per step beyond `train_on_batch` and two float checks: circle
parameters are drawn for the whole run up front and rasterised in chunks of many batches. The
reported Keras loss is the MSE itself unless the architecture adds regularisation penalties; only
then is a separate MSE metric compiled in (it costs time on every step), so that the score stays
the pure cost.
"""

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mlphys.challenges.autoencoder_settings import AutoencoderSettings, read_settings
from mlphys.challenges.bottleneck import check_bottleneck
from mlphys.challenges.circles import IMAGE_SHAPE, draw_circle_parameters, generate_circles, render_circles
from mlphys.challenges.errors import EntryRejected
from mlphys.challenges.fresh_copy import fresh_model_copy
from mlphys.challenges.results import AutoencoderResult, mean_and_stderr
from mlphys.challenges.safe_model import (
    MODEL_PARAMETER_CAP,
    check_declared_input_shape,
    check_parameter_cap,
    check_single_input_output,
    load_entry_model,
    make_optimizer,
    saved_optimizer_identifier,
)

MODEL_FILE = "autoencoder.keras"
DEFAULT_RUNS = 3
WALL_CLOCK_CAP_S = 600.0
HELDOUT_IMAGES = 1000
SCORED_LAST_BATCHES = 50
CHUNK_IMAGES = 10_000
COST_METRIC = "cost"
HELDOUT_CHUNK = 250


@dataclass(frozen=True)
class RunSeeds:
    """Seeds of one training run, all derived from the secret seed and the run index."""

    keras_seed: int
    training_data: np.random.SeedSequence
    heldout_data: np.random.SeedSequence


def run_seeds(secret_seed: int, run_index: int) -> RunSeeds:
    """Independent streams for initialisation, training circles and held-out circles."""
    base = np.random.SeedSequence(entropy=secret_seed, spawn_key=(run_index,))
    return RunSeeds(
        keras_seed=int(base.generate_state(1, np.uint32)[0]),
        training_data=np.random.SeedSequence(entropy=secret_seed, spawn_key=(run_index, 1)),
        heldout_data=np.random.SeedSequence(entropy=secret_seed, spawn_key=(run_index, 2)),
    )


def score_autoencoder_entry(
    entry_dir: Path,
    *,
    seed: int,
    runs: int = DEFAULT_RUNS,
    parameter_cap: int = MODEL_PARAMETER_CAP,
    wall_clock_cap_s: float = WALL_CLOCK_CAP_S,
    _budget_images: int | None = None,
) -> AutoencoderResult:
    """Score one entry; a bad entry gives `accepted=False` and a message, never an exception.

    `_budget_images` replaces the NORMAL/LONG image budget and exists for the test-suite only;
    the command line does not expose it.
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    started = time.perf_counter()
    result = AutoencoderResult(seed=seed)
    try:
        _score(result, Path(entry_dir), seed, runs, parameter_cap, wall_clock_cap_s, _budget_images)
    except EntryRejected as rejection:
        result.reject(rejection.message, rejection.reason)
    result.wall_time_s = time.perf_counter() - started
    return result


def _score(result, entry_dir, seed, runs, parameter_cap, wall_clock_cap_s, budget_override):
    settings = read_settings(entry_dir)
    images = budget_override if budget_override is not None else settings.budget_images
    result.training = settings.training
    result.batchsize = settings.batchsize
    result.images = images
    result.steps = images // settings.batchsize
    if result.steps < 1:
        raise EntryRejected("the batch size is larger than the training budget", "batchsize_out_of_range")

    loaded = load_entry_model(entry_dir / MODEL_FILE)
    template = checked_template(loaded.model)
    result.parameters = check_parameter_cap(template, parameter_cap)
    bottleneck, variants = check_bottleneck(template)
    result.bottleneck = int(bottleneck.size)
    result.bottleneck_layers = bottleneck.layers
    result.variants = variants
    optimizer_identifier = saved_optimizer_identifier(loaded.file_config, MODEL_FILE)
    make_optimizer(optimizer_identifier, MODEL_FILE)  # reject a bad optimizer before training
    separate_cost = adds_regularisation(loaded.file_config.get("config"))

    for run_index in range(runs):
        run = train_one_run(
            loaded.model,
            optimizer_identifier,
            settings,
            steps=result.steps,
            seeds=run_seeds(seed, run_index),
            wall_clock_cap_s=wall_clock_cap_s,
            run_label=f"run {run_index + 1} of {runs}",
            separate_cost=separate_cost,
        )
        run["run_index"] = run_index
        result.runs.append(run)

    result.score, result.score_stderr = mean_and_stderr([run["last_batches_cost"] for run in result.runs])
    result.heldout_cost, result.heldout_cost_stderr = mean_and_stderr([run["heldout_cost"] for run in result.runs])
    result.accepted = True
    result.message = (
        f"scored: bottleneck {result.bottleneck} ({' and '.join(variants)}), {settings.training} "
        f"training, batch size {settings.batchsize}, {runs} run{'s' if runs > 1 else ''}"
    )


def checked_template(model):
    """A freshly built copy on 27x27x1 inputs, after the input and output shape checks."""
    check_single_input_output(model)
    check_declared_input_shape(model, IMAGE_SHAPE)
    template = fresh_model_copy(model, IMAGE_SHAPE)
    check_single_input_output(template)
    output_shape = tuple(template.outputs[0].shape)[1:]
    if output_shape != IMAGE_SHAPE:
        raise EntryRejected(
            f"the model's output must have shape (batch, 27, 27, 1) like its input; it has "
            f"(batch, {', '.join(map(str, output_shape))})",
            "wrong_output_shape",
        )
    return template


def adds_regularisation(config) -> bool:
    """Whether a serialised architecture adds penalty terms to the Keras loss."""
    if isinstance(config, list):
        return any(adds_regularisation(item) for item in config)
    if not isinstance(config, dict):
        return False
    if config.get("class_name") == "ActivityRegularization":
        return True
    return any(
        (key.endswith("regularizer") and value is not None) or adds_regularisation(value)
        for key, value in config.items()
    )


def train_one_run(
    model,
    optimizer_identifier,
    settings: AutoencoderSettings,
    *,
    steps: int,
    seeds: RunSeeds,
    wall_clock_cap_s: float,
    run_label: str,
    separate_cost: bool = False,
) -> dict:
    """One training run from a fresh initialisation; returns its reproducibility record.

    `separate_cost` compiles an MSE metric next to the loss, for architectures whose loss
    includes regularisation penalties.
    """
    import keras

    started = time.monotonic()
    deadline = started + wall_clock_cap_s
    batchsize = settings.batchsize
    costs = np.empty(steps, dtype=np.float64)
    step, training_started = 0, False
    try:
        keras.utils.set_random_seed(seeds.keras_seed)
        network = fresh_model_copy(model, IMAGE_SHAPE)
        network.compile(
            optimizer=make_optimizer(optimizer_identifier, MODEL_FILE),
            loss="mean_squared_error",
            metrics=[keras.metrics.MeanSquaredError(name=COST_METRIC)] if separate_cost else None,
        )
        network.optimizer.build(network.trainable_variables)  # else the first step traces twice
        cost_key = COST_METRIC if separate_cost else "loss"
        circles = draw_circle_parameters(np.random.default_rng(seeds.training_data), steps * batchsize)
        chunk_steps = max(1, CHUNK_IMAGES // batchsize)
        training_started = True
        for chunk_start in range(0, steps, chunk_steps):
            chunk = min(chunk_steps, steps - chunk_start)
            first, last = chunk_start * batchsize, (chunk_start + chunk) * batchsize
            batches = render_circles(circles[first:last]).reshape(chunk, batchsize, *IMAGE_SHAPE)
            for batch in batches:
                cost = network.train_on_batch(batch, batch, return_dict=True)[cost_key]
                costs[step] = cost
                step += 1
                if not math.isfinite(cost):
                    raise EntryRejected(
                        f"training produced a non-finite cost ({cost}) at step {step} of {steps} in "
                        f"{run_label}; lower the learning rate or check the architecture",
                        "nan_cost",
                    )
                if time.monotonic() > deadline:
                    raise EntryRejected(
                        f"{run_label} exceeded the wall-clock cap of {wall_clock_cap_s:g} s after "
                        f"{step} of {steps} training steps; use a smaller or faster network",
                        "wall_clock_cap",
                    )
    except EntryRejected:
        raise
    except Exception as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        where = f"at step {step + 1} of {steps}" if training_started else "while preparing the network"
        raise EntryRejected(f"training failed {where} in {run_label}: {detail}", "training_failed") from None

    try:
        heldout_cost = heldout_mse(network, np.random.default_rng(seeds.heldout_data))
    except Exception as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        raise EntryRejected(f"the held-out evaluation failed in {run_label}: {detail}", "training_failed") from None
    if not math.isfinite(heldout_cost):
        raise EntryRejected(f"the trained network gives a non-finite held-out cost in {run_label}", "nan_cost")
    return {
        "keras_seed": seeds.keras_seed,
        "batch_costs": costs.tolist(),
        "last_batches_cost": float(costs[-SCORED_LAST_BATCHES:].mean()),
        "heldout_cost": heldout_cost,
        "wall_time_s": time.monotonic() - started,
    }


def heldout_mse(network, rng: np.random.Generator) -> float:
    """MSE of the trained network on fresh circles, in inference mode.

    A direct call, not `predict`: tracing a prediction function would cost more than the
    few forward passes it would speed up.
    """
    images = generate_circles(rng, HELDOUT_IMAGES)
    squared_error = 0.0
    for first in range(0, HELDOUT_IMAGES, HELDOUT_CHUNK):
        batch = images[first : first + HELDOUT_CHUNK]
        output = np.asarray(network(batch, training=False), dtype=np.float64)
        squared_error += float(np.sum((output - batch) ** 2))
    return squared_error / images.size
