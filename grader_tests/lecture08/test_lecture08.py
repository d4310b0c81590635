"""Hidden graders for lecture08 (deep policy gradient in small mazes).

Inputs come from the secret seed via ``rng``. The trained policy plays on the challenge's trusted
maze engine (``mlphys.maze.MazeBatch``) on a maze drawn here.
"""

from collections import deque

import numpy as np
import pytest

from mlphys.maze import ACTIONS, EpisodeSetup, MazeBatch, sample_actions
from course_lib.grading.checks import as_array, as_float, relative_error

# ---------------------------------------------------------------------------
# 1. returns to go, advantages
# ---------------------------------------------------------------------------


def _trusted_returns(rewards, gamma):
    steps = rewards.shape[1]
    return np.stack([rewards[:, t:] @ gamma ** np.arange(steps - t) for t in range(steps)], axis=1)


def _rewards(rng):
    batch, steps = int(rng.integers(3, 12)), int(rng.integers(4, 15))
    return (rng.random((batch, steps)) < 0.3) * rng.integers(1, 4, size=(batch, steps)).astype(float)


@pytest.mark.grade_cell("returns", weight=1)
def test_returns_to_go_discounted(student, rng):
    """returns_to_go(rewards, gamma) sums the discounted rewards from each step to the end of its episode"""
    rewards, gamma = _rewards(rng), float(rng.uniform(0.5, 0.95))
    got = as_array(student.call("returns_to_go", rewards, gamma), "returns_to_go(...)", rewards.shape)
    assert relative_error(got, _trusted_returns(rewards, gamma)) < 1e-9, f"the returns to go are wrong for gamma = {gamma:.3f}"


@pytest.mark.grade_cell("returns", weight=1)
def test_returns_to_go_undiscounted(student, rng):
    """returns_to_go with gamma = 1 gives the plain sums of the remaining rewards"""
    rewards = _rewards(rng)
    got = as_array(student.call("returns_to_go", rewards, 1.0), "returns_to_go(...)", rewards.shape)
    assert relative_error(got, np.cumsum(rewards[:, ::-1], axis=1)[:, ::-1]) < 1e-9, "the returns to go are wrong for gamma = 1"


@pytest.mark.grade_cell("returns", weight=1)
def test_advantages(student, rng):
    """advantages(returns) subtracts the batch average at each time step"""
    returns = rng.normal(1.0, 2.0, size=(int(rng.integers(3, 12)), int(rng.integers(4, 15))))
    got = as_array(student.call("advantages", returns), "advantages(...)", returns.shape)
    assert relative_error(got, returns - returns.mean(axis=0)) < 1e-9, (
        "the advantages are not the returns minus their average over the episodes at the same time step"
    )


# ---------------------------------------------------------------------------
# 2. loss and logit gradient
# ---------------------------------------------------------------------------


def _batch(rng):
    n = int(rng.integers(10, 60))
    logits = rng.normal(0.0, 1.5, size=(n, len(ACTIONS)))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return probabilities, rng.integers(len(ACTIONS), size=n), rng.normal(0.0, 1.0, size=n)


@pytest.mark.grade_cell("pg_loss", weight=1)
def test_policy_gradient_loss(student, rng):
    """policy_gradient_loss is minus the batch mean of A ln pi(a)"""
    probabilities, actions, advantage = _batch(rng)
    got = as_float(student.call("policy_gradient_loss", probabilities, actions, advantage), "policy_gradient_loss(...)")
    want = -np.mean(advantage * np.log(probabilities[np.arange(len(actions)), actions]))
    assert abs(got - want) < 1e-9 * max(1.0, abs(want)), "the loss value is wrong"


@pytest.mark.grade_cell("pg_loss", weight=2)
def test_logit_gradient(student, rng):
    """logit_gradient is the derivative of the loss with respect to the softmax logits"""
    probabilities, actions, advantage = _batch(rng)
    got = as_array(student.call("logit_gradient", probabilities, actions, advantage), "logit_gradient(...)", probabilities.shape)
    want = (probabilities - np.eye(len(ACTIONS))[actions]) * advantage[:, None] / len(actions)
    assert relative_error(got, want) < 1e-9, "the gradient with respect to the logits is wrong"


# ---------------------------------------------------------------------------
# 3. the trained policy on the grader's maze
# ---------------------------------------------------------------------------

SIZE, INNER_WALLS, STEPS, EPISODES, MAX_DISTANCE = 7, 5, 10, 200, 6
MIN_SUCCESS, MIN_GAIN, TRAINING_RUNS = 0.35, 0.25, 3  # one reference run: >= 0.53 and >= random + 0.4 on 50 trial mazes


def _distances(walls, source):
    dist = {source: 0}
    queue = deque([source])
    while queue:
        cell = queue.popleft()
        for dr, dc in ACTIONS[:4]:
            n = (cell[0] + dr, cell[1] + dc)
            if not walls[n] and n not in dist:
                dist[n] = dist[cell] + 1
                queue.append(n)
    return dist


def _maze(rng):
    """A 7 x 7 maze with walls around, INNER_WALLS random inner walls (all free cells connected) and one chest."""
    while True:
        walls = np.ones((SIZE, SIZE), dtype=bool)
        walls[1:-1, 1:-1] = False
        inner = np.argwhere(~walls)
        for cell in inner[rng.permutation(len(inner))[:INNER_WALLS]]:
            walls[tuple(cell)] = True
        free = [tuple(int(i) for i in c) for c in np.argwhere(~walls)]
        chest = free[int(rng.integers(len(free)))]
        dist = _distances(walls, chest)
        if len(dist) == len(free):
            chests = np.zeros((SIZE, SIZE), dtype=np.int64)
            chests[chest] = 1
            return walls, chests, dist


def _success_rate(walls, chests, start, policy_fn, rng):
    """Fraction of episodes from `start` in which the trusted maze engine records the chest collected."""
    count = len(start)
    env = MazeBatch(EpisodeSetup(np.repeat(walls[None], count, 0), np.repeat(chests[None], count, 0), start))
    collected = np.zeros(count)
    for _ in range(STEPS):
        collected += env.step(sample_actions(policy_fn(env.observations()), rng.random(count)))
    return float(collected.mean())


def _student_policy(student):
    def probabilities_of(observations):
        p = as_array(student.call("policy", observations), "policy(observations)", (len(observations), len(ACTIONS)))
        if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-6):
            raise AssertionError("`policy` must return probabilities: non-negative rows that sum to 1")
        return p

    return probabilities_of


@pytest.mark.grade_cell("maze_policy", weight=1)
def test_trained_policy_collects_the_chest(student, rng):
    """train_maze_policy on a new maze (best of three training seeds) gives a `policy` that collects the chest
    clearly more often than a random policy"""
    walls, chests, dist = _maze(rng)
    starts = [cell for cell, d in dist.items() if 1 <= d <= MAX_DISTANCE]
    start = np.array([starts[i] for i in rng.integers(len(starts), size=EPISODES)])
    uniform = _success_rate(walls, chests, start, lambda obs: np.full((len(obs), len(ACTIONS)), 1.0 / len(ACTIONS)), rng)
    needed = max(MIN_SUCCESS, uniform + MIN_GAIN)
    best = 0.0
    for _ in range(TRAINING_RUNS):  # policy-gradient training is noisy: judge the best of a few runs
        student.call("train_maze_policy", walls, chests, int(rng.integers(2**31)), timeout=60)
        best = max(best, _success_rate(walls, chests, start, _student_policy(student), rng))
        if best >= needed:
            return
    raise AssertionError(
        f"in the best of {TRAINING_RUNS} training runs the policy collects the chest in {100 * best:.0f}% of the "
        f"episodes, a random policy in {100 * uniform:.0f}%; at least {100 * needed:.0f}% is needed"
    )
