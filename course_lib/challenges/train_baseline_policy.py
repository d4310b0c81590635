"""Reference script: train the course's baseline maze policy and save it as a challenge entry.

    python -m course_lib.challenges.train_baseline_policy [--out DIR] [--trials N] ...

This is the last example of the course's "improved deep policy gradient" homework notebook
(lecture 8, discussed in session 9), written for the challenge environment in
`mlphys.maze` (15x15 mazes, 10 chests deleted once collected, 40 steps, no wall
penalty, a fresh maze in every episode):

- the network predicts an action map: four `Conv2D(10, 3, elu, same)` layers and a
  `Conv2D(5, 3, softmax, same)` output, read at the robot's cell (`train_for_action_map`);
- each training trial plays a batch of 40 episodes with actions sampled from the current
  policy, then makes one `train_on_batch` step on all their (state, action) pairs with the
  notebook's trick: a cross-entropy whose "correct answer" at the robot's cell is the weight of
  the action taken, which gives delta theta = eta * weight * grad ln pi(a|s); Adam, as in the
  notebook's maze runs (learning rate 1e-3 here instead of its 2e-4, to fit the time budget).

Platform changes, each a variance or correctness fix, not a new method:

- the weight of step t is the reward-to-go (rewards from t on) minus its batch mean at that step
  (the baseline of lecture 7), instead of the whole episode's return;
- the cost is written out (`policy_gradient_loss`) instead of Keras' built-in categorical
  cross-entropy, whose TensorFlow gradient is wrong for targets that do not sum to 1 (see there);
  with the built-in loss, training makes this policy worse than random.

Training mazes come from `maze.draw_episodes` with a public training seed, unrelated to the
board's secret seeds. The defaults train in about three minutes on two idle CPU cores. The
script writes `maze_policy.keras` (architecture and weights, no loss or optimizer) and
`training.json` (settings, the return curve and a self-evaluation on a public seed).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from mlphys.maze import (  # noqa: E402
    EPISODE_STEPS,
    MAZE_SIZE,
    NUM_ACTIONS,
    MazeBatch,
    draw_episodes,
    sample_actions,
    setup_episodes,
)

DEFAULT_OUT = Path(__file__).resolve().parent / "reference_entries" / "baseline_maze_policy"
POLICY_FILE = "maze_policy.keras"
TRAINING_SEED = 20200623  # public: the date of the session the challenge was set in
EVALUATION_SEED = 1  # public: a quick self-check, not a board seed


def build_course_policy(channels: int = 10, kernel_size: int = 3):
    """The notebook's action-map network: (B,15,15,3) -> (B,15,15,5) probabilities."""
    import keras
    from keras import layers

    return keras.Sequential(
        [keras.Input((MAZE_SIZE, MAZE_SIZE, 3))]
        + [layers.Conv2D(channels, kernel_size, activation="elu", padding="same") for _ in range(4)]
        + [layers.Conv2D(NUM_ACTIONS, kernel_size, activation="softmax", padding="same")],
        name="course_baseline_maze_policy",
    )


def play_batch(forward, draws):
    """Play one batch of episodes; returns observations, positions, actions and rewards (step, episode)."""
    env = MazeBatch(setup_episodes(draws))
    batch = len(draws)
    observations = np.empty((EPISODE_STEPS, batch, MAZE_SIZE, MAZE_SIZE, 3), dtype=np.float32)
    positions = np.empty((EPISODE_STEPS, batch, 2), dtype=np.int64)
    actions = np.empty((EPISODE_STEPS, batch), dtype=np.int64)
    rewards = np.zeros((EPISODE_STEPS, batch), dtype=np.float64)
    rows = np.arange(batch)
    for t in range(EPISODE_STEPS):
        observations[t] = env.observations()
        positions[t] = env.positions
        action_map = forward(observations[t])
        probabilities = action_map[rows, positions[t, :, 0], positions[t, :, 1]]
        actions[t] = sample_actions(probabilities, draws.action_uniforms[:, t])
        rewards[t] = env.step(actions[t])
    return observations, positions, actions, rewards


def advantages_of(rewards, *, reward_to_go: bool, baseline: bool) -> np.ndarray:
    """(steps, batch) weights of the update.

    The notebook reinforces every action of an episode with the episode's return. With
    `reward_to_go`, step t is reinforced with the rewards from t on (what came before cannot be
    its doing); with `baseline`, the batch mean of that quantity (per step) is subtracted.
    """
    if reward_to_go:
        weights = np.cumsum(rewards[::-1], axis=0)[::-1]
    else:
        weights = np.broadcast_to(rewards.sum(axis=0), rewards.shape)
    if baseline:
        weights = weights - weights.mean(axis=1, keepdims=True)
    return np.ascontiguousarray(weights, dtype=np.float32)


def policy_gradient_targets(positions, actions, advantages, exploration: float = 0.0):
    """Action-map targets: the step's advantage in the taken action's slot at the robot's cell.

    `exploration` adds that weight spread evenly over the five actions at the robot's cell: the
    cross-entropy then also pulls the policy towards uniform (a KL-to-uniform penalty), which
    keeps it from collapsing onto one direction and getting stuck at a wall.
    """
    steps, batch = actions.shape
    targets = np.zeros((steps, batch, MAZE_SIZE, MAZE_SIZE, NUM_ACTIONS), dtype=np.float32)
    rows = np.arange(batch)
    for t in range(steps):
        if exploration:
            targets[t, rows, positions[t, :, 0], positions[t, :, 1], :] = exploration / NUM_ACTIONS
        targets[t, rows, positions[t, :, 0], positions[t, :, 1], actions[t]] += advantages[t]
    return targets


def make_forward(model):
    """A compiled inference call; much cheaper per step than `predict_on_batch`."""
    import tensorflow as tf

    @tf.function(reduce_retracing=True, autograph=False)
    def call(observations):
        return model(observations, training=False)

    return lambda observations: call(observations).numpy()


def policy_gradient_loss(y_true, y_pred):
    """The notebook's cost, -sum(target * log p), written out.

    Keras' built-in categorical cross-entropy must not be used here: for a softmax output the
    TensorFlow backend switches to the fused `softmax_cross_entropy_with_logits`, whose gradient
    (softmax - target) is only right when each target sums to 1. The notebook's targets (the
    return in one slot, zeros at every other cell of the action map) do not, so that gradient
    would be dominated by a data-independent pull on every cell of the map.
    """
    from keras import ops

    return -ops.sum(y_true * ops.log(ops.clip(y_pred, 1e-7, 1.0)), axis=-1)


def make_optimizer(name: str, learning_rate: float):
    """The notebook's two choices: plain SGD with clipnorm=1 (its default) or Adam."""
    import keras

    if name == "adam":
        return keras.optimizers.Adam(learning_rate=learning_rate)
    return keras.optimizers.SGD(learning_rate=learning_rate, clipnorm=1.0)


def train(trials: int, batch: int, learning_rate: float, seed: int, *, optimizer: str = "adam",
          baseline: bool = True, reward_to_go: bool = True, exploration: float = 0.0, log_every: int = 50):
    import keras

    keras.utils.set_random_seed(seed)
    model = build_course_policy()
    model.compile(optimizer=make_optimizer(optimizer, learning_rate), loss=policy_gradient_loss)
    forward = make_forward(model)
    mean_returns = []
    started = time.monotonic()
    for trial in range(trials):
        draws = draw_episodes(seed, batch, first=trial * batch)
        observations, positions, actions, rewards = play_batch(forward, draws)
        returns = rewards.sum(axis=0)
        advantages = advantages_of(rewards, reward_to_go=reward_to_go, baseline=baseline)
        targets = policy_gradient_targets(positions, actions, advantages, exploration)
        model.train_on_batch(
            observations.reshape(-1, MAZE_SIZE, MAZE_SIZE, 3),
            targets.reshape(-1, MAZE_SIZE, MAZE_SIZE, NUM_ACTIONS),
        )
        mean_returns.append(float(returns.mean()))
        if log_every and (trial + 1) % log_every == 0:
            recent = np.mean(mean_returns[-log_every:])
            print(
                f"trial {trial + 1}/{trials}: mean return of the last {log_every} batches {recent:.2f} "
                f"({time.monotonic() - started:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    return model, mean_returns, time.monotonic() - started


def save_policy(model, path: Path) -> None:
    """Save architecture and weights only: the entry carries no training loss or optimizer."""
    clean = build_course_policy()
    clean.set_weights(model.get_weights())
    clean.save(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="entry directory to write")
    parser.add_argument("--trials", type=int, default=400, help="training trials (batches of episodes)")
    parser.add_argument("--batch", type=int, default=40, help="episodes per trial (the notebook's batchsize)")
    parser.add_argument("--optimizer", choices=("sgd", "adam"), default="adam", help="Adam (default) or SGD with clipnorm=1")
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=TRAINING_SEED, help="training seed (mazes and initialisation)")
    parser.add_argument("--no-baseline", action="store_true", help="no baseline subtracted, as in the notebook")
    parser.add_argument("--whole-return", action="store_true", help="reinforce every step with the episode's return, as in the notebook")
    parser.add_argument("--exploration", type=float, default=0.0, help="weight of a pull towards uniform (0: none)")
    parser.add_argument("--evaluate", type=int, default=1000, help="episodes of the self-evaluation (0: none)")
    args = parser.parse_args(argv)

    model, curve, seconds = train(
        args.trials, args.batch, args.learning_rate, args.seed, optimizer=args.optimizer, baseline=not args.no_baseline,
        reward_to_go=not args.whole_return, exploration=args.exploration,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    save_policy(model, args.out / POLICY_FILE)
    report = {
        "script": "course_lib/challenges/train_baseline_policy.py",
        "network": "4 x Conv2D(10, 3, elu, same) + Conv2D(5, 3, softmax, same): action map",
        "parameters": int(model.count_params()),
        "trials": args.trials,
        "episodes_per_trial": args.batch,
        "learning_rate": args.learning_rate,
        "weights": "reward-to-go" if not args.whole_return else "episode return",
        "baseline": "batch mean per step" if not args.no_baseline else "none",
        "exploration": args.exploration,
        "optimizer": "SGD(clipnorm=1.0)" if args.optimizer == "sgd" else "Adam",
        "training_seed": args.seed,
        "training_seconds": round(seconds, 1),
        "mean_return_per_trial": [round(value, 3) for value in curve],
    }
    if args.evaluate:
        from mlphys.challenges.maze_score import score_maze_entry

        result = score_maze_entry(args.out, seed=EVALUATION_SEED, episodes=args.evaluate)
        report["self_evaluation"] = {
            "seed": EVALUATION_SEED,
            "episodes": args.evaluate,
            "score": result.score,
            "score_stderr": result.score_stderr,
            "accepted": result.accepted,
            "message": result.message,
        }
        print(f"self-evaluation: {result.score:.3f} ± {result.score_stderr:.3f} over {args.evaluate} episodes", file=sys.stderr)
    (args.out / "training.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / POLICY_FILE} after {seconds:.0f} s of training", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
