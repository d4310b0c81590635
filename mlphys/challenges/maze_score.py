"""Scoring of a maze challenge entry: mean return of the submitted policy over N episodes.

The entry directory holds `maze_policy.keras`, a trained policy mapping observations
(B, 15, 15, 3) to probabilities (B, 5) or to an action map (B, 15, 15, 5) read at the robot's
cell. Its weights are used as submitted. Every output the platform acts on is checked to be a
probability vector (finite, non-negative, summing to 1 within 1e-3); the first violation
rejects the entry with a message that says which.
"""

import time
from pathlib import Path

import numpy as np

from mlphys.challenges.errors import EntryRejected
from mlphys.maze import MAZE_SIZE, NUM_ACTIONS, draw_episodes, play_episodes
from mlphys.challenges.results import MazeResult, mean_and_stderr
from mlphys.challenges.safe_model import (
    MODEL_PARAMETER_CAP,
    check_declared_input_shape,
    check_parameter_cap,
    check_single_input_output,
    load_entry_model,
)

MODEL_FILE = "maze_policy.keras"
DEFAULT_EPISODES = 1000
EPISODES_PER_BATCH = 500
PROBABILITY_TOLERANCE = 1e-3
OBSERVATION_SHAPE = (MAZE_SIZE, MAZE_SIZE, 3)
OUTPUT_KINDS = {
    (NUM_ACTIONS,): "probabilities",
    (MAZE_SIZE, MAZE_SIZE, NUM_ACTIONS): "action_map",
}


def score_maze_entry(
    entry_dir: Path,
    *,
    seed: int,
    episodes: int = DEFAULT_EPISODES,
    parameter_cap: int = MODEL_PARAMETER_CAP,
) -> MazeResult:
    """Score one entry; a bad entry gives `accepted=False` and a message, never an exception."""
    if episodes < 1:
        raise ValueError("episodes must be at least 1")
    started = time.perf_counter()
    result = MazeResult(seed=seed, episodes=episodes)
    try:
        model = load_entry_model(Path(entry_dir) / MODEL_FILE).model
        result.output_kind = check_policy_model(model)
        result.parameters = check_parameter_cap(model, parameter_cap)
        returns = []
        for first in range(0, episodes, EPISODES_PER_BATCH):
            count = min(EPISODES_PER_BATCH, episodes - first)
            policy = ValidatedPolicy(model, first_episode=first)
            returns.append(play_episodes(draw_episodes(seed, count, first), policy).returns)
        result.returns = np.concatenate(returns).tolist()
        result.score, result.score_stderr = mean_and_stderr(result.returns)
        result.accepted = True
        result.message = f"scored: mean return over {episodes} episodes"
    except EntryRejected as rejection:
        result.reject(rejection.message, rejection.reason)
    result.wall_time_s = time.perf_counter() - started
    return result


def check_policy_model(model) -> str:
    """Check the input and output shapes on a probe batch; returns the output kind."""
    check_single_input_output(model)
    check_declared_input_shape(model, OBSERVATION_SHAPE)
    probe = np.zeros((2, *OBSERVATION_SHAPE), dtype=np.float32)
    output = _run_policy_model(model, probe)
    kind = OUTPUT_KINDS.get(output.shape[1:])
    if kind is None or output.shape[0] != len(probe):
        raise EntryRejected(
            f"the policy's output must have shape (batch, 5) or (batch, 15, 15, 5); it has "
            f"(batch, {', '.join(map(str, output.shape[1:]))})",
            "wrong_output_shape",
        )
    return kind


def _run_policy_model(model, observations: np.ndarray) -> np.ndarray:
    try:
        output = model.predict_on_batch(observations)
    except Exception as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        raise EntryRejected(
            f"the policy fails on observations of shape (batch, 15, 15, 3): {detail}", "policy_failed"
        ) from None
    if not isinstance(output, np.ndarray):
        raise EntryRejected("the policy must return a single array", "wrong_output_shape")
    return output


class ValidatedPolicy:
    """The Keras policy as the environment sees it: probabilities at the robot, checked."""

    def __init__(self, model, first_episode: int = 0):
        self.model = model
        self.first_episode = first_episode
        self.step = 0

    def __call__(self, observations: np.ndarray) -> np.ndarray:
        output = _run_policy_model(self.model, observations)
        if output.ndim == 4:
            batch = len(observations)
            robot = observations[..., 2].reshape(batch, -1).argmax(axis=1)
            jx, jy = np.divmod(robot, MAZE_SIZE)
            output = output[np.arange(batch), jx, jy]
        probabilities = np.asarray(output, dtype=np.float64)
        check_probabilities(probabilities, self.first_episode, self.step)
        self.step += 1
        return probabilities


def check_probabilities(probabilities: np.ndarray, first_episode: int, step: int) -> None:
    """Reject NaN or infinite values, negative values, or rows not summing to 1 within 1e-3."""
    where = lambda row: f"(episode {first_episode + int(row)}, step {step})"  # noqa: E731
    bad = ~np.isfinite(probabilities).all(axis=1)
    if bad.any():
        row = np.flatnonzero(bad)[0]
        raise EntryRejected(
            f"the policy's output contains NaN or infinite values {where(row)}: {probabilities[row].tolist()}",
            "invalid_probabilities",
        )
    negative = (probabilities < 0).any(axis=1)
    if negative.any():
        row = np.flatnonzero(negative)[0]
        raise EntryRejected(
            f"the policy's output has negative probabilities {where(row)}: {probabilities[row].tolist()}",
            "invalid_probabilities",
        )
    sums = probabilities.sum(axis=1)
    off = np.abs(sums - 1.0) > PROBABILITY_TOLERANCE
    if off.any():
        row = np.flatnonzero(off)[0]
        raise EntryRejected(
            f"the policy's probabilities sum to {sums[row]:.6g} instead of 1 (tolerance "
            f"{PROBABILITY_TOLERANCE:g}) {where(row)}; end the network with a softmax",
            "invalid_probabilities",
        )
