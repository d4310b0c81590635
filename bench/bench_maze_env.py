"""Episodes per second of the batched maze environment against the per-episode loop.

Both play the same episodes (same draws, same mazes) with the same policy, and both are timed
from the random draws to the last reward, maze generation included. Two policies: the uniform
random Keras policy called with `predict_on_batch` (a batch of all episodes vs a batch of one),
and a NumPy uniform policy that isolates the environment itself. Target: ratio >= 10.

    python bench/bench_maze_env.py [--episodes 1000] [--loop-episodes 50]
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from mlphys import maze  # noqa: E402
from course_lib.challenges import maze_reference  # noqa: E402
from course_lib.challenges.reference_models import build_uniform_random_policy  # noqa: E402


def episodes_per_second(play, seed: int, count: int) -> tuple[float, np.ndarray]:
    started = time.perf_counter()
    rewards = play(maze.draw_episodes(seed, count))
    return count / (time.perf_counter() - started), rewards


def compare(name: str, policy, episodes: int, loop_episodes: int) -> float:
    batched_rate, batched = episodes_per_second(lambda d: maze.play_episodes(d, policy).rewards, 1, episodes)
    loop_rate, looped = episodes_per_second(lambda d: maze_reference.play_episodes(d, policy), 1, loop_episodes)
    if not np.array_equal(batched[:loop_episodes], looped):
        raise SystemExit("the batched environment and the per-episode loop disagree")
    ratio = batched_rate / loop_rate
    print(f"{name}: batched {batched_rate:,.0f} episodes/s ({episodes} episodes), "
          f"per-episode loop {loop_rate:,.1f} episodes/s ({loop_episodes} episodes), ratio {ratio:,.1f}x")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--loop-episodes", type=int, default=50)
    args = parser.parse_args()

    model = build_uniform_random_policy()
    keras_policy = model.predict_on_batch
    keras_policy(np.zeros((1, 15, 15, 3), dtype=np.float32))  # trace once for both sides
    keras_policy(np.zeros((args.episodes, 15, 15, 3), dtype=np.float32))
    numpy_policy = lambda obs: np.full((len(obs), maze.NUM_ACTIONS), 0.2)  # noqa: E731

    ratio = compare("Keras uniform policy", keras_policy, args.episodes, args.loop_episodes)
    compare("NumPy uniform policy", numpy_policy, args.episodes, args.loop_episodes)
    print(f"ratio with the Keras policy: {ratio:,.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
