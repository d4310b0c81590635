"""Hidden graders for lecture07 (policy gradient for the random walker, tabular Q-learning in a maze).

Inputs come from the secret seed via ``rng``; the mazes for the trained tables are drawn here.
"""

from collections import deque

import numpy as np
import pytest

from course_lib.grading.checks import as_array, as_float, relative_error

# ---------------------------------------------------------------------------
# 1. the random walker: log_policy_derivative, policy_gradient_estimate
# ---------------------------------------------------------------------------


def _sigmoid(theta):
    return 1.0 / (1.0 + np.exp(-theta))


def _walks(rng, theta, n, steps):
    return np.where(rng.random((n, steps)) < _sigmoid(theta), 1, -1)


def _trusted_derivative(theta, actions):
    p = _sigmoid(theta)
    return np.sum(actions == 1, axis=1) * (1 - p) - np.sum(actions == -1, axis=1) * p


def _trusted_estimate(theta, actions, baseline):
    returns = actions.sum(axis=1).astype(float)
    b = (returns.sum() - returns) / (len(returns) - 1) if baseline else 0.0  # leave-one-out
    return float(np.mean((returns - b) * _trusted_derivative(theta, actions)))


def _walker_batch(rng):
    theta = float(rng.uniform(-2.5, 2.5))
    n, steps = int(rng.integers(5, 40)), int(rng.integers(3, 30))
    return theta, _walks(rng, float(rng.uniform(-1.5, 1.5)), n, steps)


@pytest.mark.grade_cell("walker_gradient", weight=1)
def test_log_policy_derivative(student, rng):
    """log_policy_derivative(theta, actions) is the sum over steps of d ln pi / d theta, one number per walk"""
    theta, actions = _walker_batch(rng)
    got = as_array(student.call("log_policy_derivative", theta, actions), "log_policy_derivative(...)", (len(actions),))
    assert relative_error(got, _trusted_derivative(theta, actions)) < 1e-9, (
        f"the summed derivatives of ln pi are wrong for theta = {theta:.3f}"
    )


@pytest.mark.grade_cell("walker_gradient", weight=1)
def test_estimate_without_baseline(student, rng):
    """policy_gradient_estimate(theta, actions, False) is the batch mean of R * G"""
    theta, actions = _walker_batch(rng)
    got = as_float(student.call("policy_gradient_estimate", theta, actions, False), "policy_gradient_estimate(...)")
    assert relative_error(got, _trusted_estimate(theta, actions, False)) < 1e-9, (
        f"the estimate without baseline is wrong for theta = {theta:.3f}"
    )


@pytest.mark.grade_cell("walker_gradient", weight=1)
def test_estimate_with_baseline(student, rng):
    """policy_gradient_estimate(theta, actions, True) subtracts from each return the mean of the other walks' returns"""
    theta, actions = _walker_batch(rng)
    got = as_float(student.call("policy_gradient_estimate", theta, actions, True), "policy_gradient_estimate(...)")
    assert relative_error(got, _trusted_estimate(theta, actions, True)) < 1e-9, (
        f"the estimate with the leave-one-out baseline is wrong for theta = {theta:.3f}"
    )


# ---------------------------------------------------------------------------
# 2. the analytic solution
# ---------------------------------------------------------------------------


@pytest.mark.grade_cell("walker_analytic", weight=1)
def test_expected_return(student, rng):
    """expected_return(theta, T) is the exact mean final position"""
    for theta, steps in zip(rng.uniform(-4, 4, size=4), rng.integers(1, 60, size=4)):
        got = as_float(student.call("expected_return", float(theta), int(steps)), "expected_return(...)")
        want = steps * (2 * _sigmoid(theta) - 1)
        assert abs(got - want) < 1e-9 * max(1.0, abs(want)), f"expected_return is wrong for theta = {theta:.3f}, T = {steps}"


@pytest.mark.grade_cell("walker_analytic", weight=1)
def test_analytic_gradient(student, rng):
    """analytic_gradient(theta, T) is the exact derivative of the mean return"""
    for theta, steps in zip(rng.uniform(-4, 4, size=4), rng.integers(1, 60, size=4)):
        got = as_float(student.call("analytic_gradient", float(theta), int(steps)), "analytic_gradient(...)")
        p = _sigmoid(theta)
        want = 2 * steps * p * (1 - p)
        assert abs(got - want) < 1e-9 * max(1.0, abs(want)), f"analytic_gradient is wrong for theta = {theta:.3f}, T = {steps}"


# ---------------------------------------------------------------------------
# 3 (a). q_learning_update
# ---------------------------------------------------------------------------


def _transition(rng):
    rows, cols = int(rng.integers(3, 7)), int(rng.integers(3, 7))
    Q = rng.normal(0.0, 1.0, size=(rows, cols, 4))
    state = (int(rng.integers(rows)), int(rng.integers(cols)))
    next_state = state
    while next_state == state:
        next_state = (int(rng.integers(rows)), int(rng.integers(cols)))
    return Q, state, int(rng.integers(4)), float(rng.normal()), next_state, float(rng.uniform(0.1, 0.9)), float(rng.uniform(0.5, 0.99))


def _check_update(student, Q, state, action, reward, next_state, done, alpha, gamma):
    got = as_array(
        student.call("q_learning_update", Q, state, action, reward, next_state, done, alpha, gamma),
        "q_learning_update(...)",
        Q.shape,
    )
    want = Q.copy()
    target = reward if done else reward + gamma * Q[next_state].max()
    want[state + (action,)] += alpha * (target - Q[state + (action,)])
    changed = np.argwhere(np.abs(got - Q) > 1e-12)
    assert all(tuple(c[:2]) == state and c[2] == action for c in changed), (
        "the update changed entries of Q other than Q[state][action]"
    )
    assert relative_error(got, want) < 1e-9, (
        f"Q[state][action] after the update is wrong for a step with done={done}"
    )


@pytest.mark.grade_cell("q_update", weight=1)
def test_q_update_ongoing_episode(student, rng):
    """q_learning_update uses r + gamma max_a' Q(s', a') for a step that does not end the episode"""
    Q, state, action, reward, next_state, alpha, gamma = _transition(rng)
    _check_update(student, Q, state, action, reward, next_state, False, alpha, gamma)


@pytest.mark.grade_cell("q_update", weight=1)
def test_q_update_final_step(student, rng):
    """q_learning_update uses only r for the step that ends the episode"""
    Q, state, action, reward, next_state, alpha, gamma = _transition(rng)
    _check_update(student, Q, state, action, reward, next_state, True, alpha, gamma)


# ---------------------------------------------------------------------------
# 3 (b). train_q_table on the grader's own maze
# ---------------------------------------------------------------------------

MOVES = ((-1, 0), (1, 0), (0, -1), (0, 1))


def _maze(rng, cell_rows, cell_cols, loops):
    """A random depth-first maze of cell_rows x cell_cols rooms, with `loops` extra openings."""
    walls = np.ones((2 * cell_rows + 1, 2 * cell_cols + 1), dtype=bool)
    seen = {(0, 0)}
    stack = [(0, 0)]
    walls[1, 1] = False
    while stack:
        r, c = stack[-1]
        options = [(r + dr, c + dc) for dr, dc in MOVES if 0 <= r + dr < cell_rows and 0 <= c + dc < cell_cols
                   and (r + dr, c + dc) not in seen]
        if not options:
            stack.pop()
            continue
        nr, nc = options[int(rng.integers(len(options)))]
        walls[2 * nr + 1, 2 * nc + 1] = walls[r + nr + 1, c + nc + 1] = False
        seen.add((nr, nc))
        stack.append((nr, nc))
    inner = [(r, c) for r in range(1, walls.shape[0] - 1) for c in range(1, walls.shape[1] - 1)
             if walls[r, c] and (r % 2) != (c % 2)]
    for index in rng.permutation(len(inner))[:loops]:
        walls[inner[index]] = False
    return walls


def _distances(walls, source):
    dist = {source: 0}
    queue = deque([source])
    while queue:
        r, c = queue.popleft()
        for dr, dc in MOVES:
            n = (r + dr, c + dc)
            if not walls[n] and n not in dist:
                dist[n] = dist[(r, c)] + 1
                queue.append(n)
    return dist


def _check_trained_table(student, rng, cell_rows, cell_cols, loops):
    walls = _maze(rng, cell_rows, cell_cols, loops)
    free = [tuple(int(i) for i in cell) for cell in np.argwhere(~walls)]
    start = free[int(rng.integers(len(free)))]
    dist = _distances(walls, start)
    treasure = max(dist, key=lambda cell: (dist[cell], rng.random()))
    shortest = dist[treasure]
    Q = as_array(
        student.call("train_q_table", walls, start, treasure, 300, int(rng.integers(2**31)), timeout=30),
        "train_q_table(...)",
        walls.shape + (4,),
    )
    position, steps = start, 0
    while position != treasure and steps < 2 * shortest:
        dr, dc = MOVES[int(np.argmax(Q[position]))]
        if not walls[position[0] + dr, position[1] + dc]:
            position = (position[0] + dr, position[1] + dc)
        steps += 1
    size = f"{walls.shape[0]} x {walls.shape[1]}"
    assert position == treasure, (
        f"on a {size} maze the greedy policy of the trained table does not reach the treasure within twice the "
        "length of the shortest path"
    )


@pytest.mark.grade_cell("q_maze", weight=1)
def test_trained_table_small_maze(student, rng):
    """after 300 episodes the greedy policy reaches the treasure of a small maze (7 x 7)"""
    _check_trained_table(student, rng, 3, 3, loops=1)


@pytest.mark.grade_cell("q_maze", weight=2)
def test_trained_table_larger_maze(student, rng):
    """after 300 episodes the greedy policy reaches the treasure of a larger maze with loops (9 x 9)"""
    _check_trained_table(student, rng, 4, 4, loops=3)
