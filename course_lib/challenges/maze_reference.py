"""The maze rules written out one episode at a time, as plainly as the course states them.

This is the yardstick for the batched environment in `maze`: given the same draws (see
`maze.EpisodeDraws`), both must produce the same mazes, chests, start cells, actions and rewards.
It is slow on purpose: no vectorisation, nothing clever.
"""

import numpy as np

from mlphys.maze import (
    ACTIONS,
    EPISODE_STEPS,
    MAZE_COMPLEXITY,
    MAZE_DENSITY,
    NUM_CHESTS,
    EpisodeDraws,
)


def randint(low: int, high: int, u: float) -> int:
    """The course's `randint(low, high)`, upper bound exclusive, from a uniform u in [0, 1)."""
    return low + int(np.floor(u * (high - low)))


def generate_maze(uniforms: np.ndarray, width: int = 15, height: int = 15) -> np.ndarray:
    """The older Wikipedia maze generator with complexity = density = 0.75.

    uniforms[i] feeds island i: its start x, its start y, then one number per extension attempt.
    """
    shape = ((height // 2) * 2 + 1, (width // 2) * 2 + 1)
    complexity = int(MAZE_COMPLEXITY * (5 * (shape[0] + shape[1])))
    density = int(MAZE_DENSITY * ((shape[0] // 2) * (shape[1] // 2)))
    Z = np.zeros(shape, dtype=bool)
    Z[0, :] = Z[-1, :] = True
    Z[:, 0] = Z[:, -1] = True
    for i in range(density):
        draws = uniforms[i]
        x, y = randint(0, shape[1] // 2, draws[0]) * 2, randint(0, shape[0] // 2, draws[1]) * 2
        Z[y, x] = True
        for j in range(complexity):
            neighbours = []
            if x > 1:
                neighbours.append((y, x - 2))
            if x < shape[1] - 2:
                neighbours.append((y, x + 2))
            if y > 1:
                neighbours.append((y - 2, x))
            if y < shape[0] - 2:
                neighbours.append((y + 2, x))
            if len(neighbours):
                y_, x_ = neighbours[randint(0, len(neighbours) - 1, draws[2 + j])]
                if not Z[y_, x_]:
                    Z[y_, x_] = True
                    Z[y_ + (y - y_) // 2, x_ + (x - x_) // 2] = True
                    x, y = x_, y_
    return Z


def place_chests_and_start(walls: np.ndarray, candidates: np.ndarray):
    """Chests on free cells drawn one after another (redrawn while the cell is a wall), then the start."""
    stream = iter(candidates)

    def draw_free_cell():
        while True:
            jx, jy = next(stream)
            if not walls[jx, jy]:
                return int(jx), int(jy)

    chests = np.zeros(walls.shape, dtype=np.int64)
    for _ in range(NUM_CHESTS):
        jx, jy = draw_free_cell()
        chests[jx, jy] += 1
    return chests, draw_free_cell()


def sample_action(probabilities, u: float) -> int:
    """The first action whose cumulative probability (normalised by the total) exceeds u."""
    values = [float(p) for p in probabilities]
    total = 0.0
    for p in values:
        total += p
    cumulative = 0.0
    for action, p in enumerate(values):
        cumulative += p
        if u < cumulative / total:
            return action
    return len(values) - 1


def run_episode(walls, chests, start, policy, action_uniforms, steps: int = EPISODE_STEPS) -> list[int]:
    """Rewards of one episode; `policy` gets a batch of one observation."""
    chests = chests.copy()
    jx, jy = start
    rewards = []
    for t in range(steps):
        observation = np.zeros(walls.shape + (3,), dtype=np.float32)
        observation[:, :, 0] = walls
        observation[:, :, 1] = chests
        observation[jx, jy, 2] = 1.0
        output = np.asarray(policy(observation[None]))[0]
        probabilities = output if output.ndim == 1 else output[jx, jy]
        dx, dy = ACTIONS[sample_action(probabilities, action_uniforms[t])]
        if not walls[jx + dx, jy + dy]:
            jx, jy = jx + dx, jy + dy
        r = int(chests[jx, jy])
        if r > 0:
            chests[jx, jy] -= 1
        rewards.append(r)
    return rewards


def play_episodes(draws: EpisodeDraws, policy, steps: int = EPISODE_STEPS) -> np.ndarray:
    """Rewards (B, steps) of each episode in `draws`, played one by one."""
    all_rewards = []
    for b in range(len(draws)):
        walls = generate_maze(draws.maze_uniforms[b])
        chests, start = place_chests_and_start(walls, draws.chest_candidates[b])
        all_rewards.append(run_episode(walls, chests, start, policy, draws.action_uniforms[b], steps))
    return np.array(all_rewards, dtype=np.int64).reshape(len(draws), steps)
