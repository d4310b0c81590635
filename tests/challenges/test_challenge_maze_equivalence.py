"""The batched maze environment must reproduce the one-episode-at-a-time rules exactly."""

import numpy as np
import pytest

from mlphys import maze
from course_lib.challenges import maze_reference as reference


def chest_seeking_policy(observations):
    """Prefers moves onto chests (so stacked chests get collected), else a fixed tilt; row-wise pure."""
    batch = len(observations)
    robot = observations[..., 2].reshape(batch, -1).argmax(axis=1)
    jx, jy = np.divmod(robot, observations.shape[1])
    logits = np.zeros((batch, maze.NUM_ACTIONS))
    for action, (dx, dy) in enumerate(maze.ACTIONS):
        logits[:, action] = 3.0 * observations[np.arange(batch), jx + dx, jy + dy, 1] + 0.2 * action
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def action_map_policy(observations):
    """The same preferences written into a (B, M, M, 5) map, read at the robot's cell."""
    batch, size = len(observations), observations.shape[1]
    at_robot = chest_seeking_policy(observations)
    action_map = np.full((batch, size, size, maze.NUM_ACTIONS), 0.2)
    robot = observations[..., 2].reshape(batch, -1).argmax(axis=1)
    jx, jy = np.divmod(robot, size)
    action_map[np.arange(batch), jx, jy] = at_robot
    return action_map


@pytest.fixture(scope="module")
def draws():
    return maze.draw_episodes(seed=2024, count=150)


def test_batched_mazes_equal_reference_generator(draws):
    batched = maze.generate_mazes(draws.maze_uniforms)
    for b in range(len(draws)):
        np.testing.assert_array_equal(batched[b], reference.generate_maze(draws.maze_uniforms[b]))


def test_batched_chests_and_start_equal_reference(draws):
    setup = maze.setup_episodes(draws)
    for b in range(len(draws)):
        chests, start = reference.place_chests_and_start(setup.walls[b], draws.chest_candidates[b])
        np.testing.assert_array_equal(setup.chests[b], chests)
        assert tuple(setup.start[b]) == start


@pytest.mark.parametrize("policy", [chest_seeking_policy, action_map_policy])
def test_batched_episodes_equal_reference_episodes(draws, policy):
    batched = maze.play_episodes(draws, policy)
    looped = reference.play_episodes(draws, policy)
    np.testing.assert_array_equal(batched.rewards, looped)
    # The case must exercise stacked chests: some stacks exist and some are paid out at once.
    assert (maze.setup_episodes(draws).chests >= 2).any()
    assert (looped >= 2).any()


def test_stacked_chest_pays_its_count_then_one_less_per_visit():
    """Three chests stacked under the start: staying pays 3, 2, 1, then nothing; same in both."""
    walls = np.ones((15, 15), dtype=bool)
    walls[3:6, 3:6] = False
    stacked = np.array([[4, 4]] * 3 + [[3, 3]] * 7 + [[4, 4]])  # 10 chests then the start
    candidates = np.concatenate([[[2, 2]], stacked])  # (2, 2) is a wall: redrawn
    chests, start = reference.place_chests_and_start(walls, candidates)
    assert chests[4, 4] == 3 and chests[3, 3] == 7 and start == (4, 4)

    stay = lambda obs: np.tile([0.0, 0.0, 0.0, 0.0, 1.0], (len(obs), 1))  # noqa: E731
    looped = reference.run_episode(walls, chests, start, stay, np.zeros(6), steps=6)
    assert looped == [3, 2, 1, 0, 0, 0]

    setup = maze.place_chests_and_start(walls[None], candidates[None])
    env = maze.MazeBatch(setup)
    assert [int(env.step(np.array([4]))[0]) for _ in range(6)] == looped


def test_moves_into_walls_are_refused_and_actions_follow_the_course_order():
    walls = np.ones((15, 15), dtype=bool)
    walls[5, 5:8] = False  # a corridor along jy
    setup = maze.EpisodeSetup(walls[None], np.zeros((1, 15, 15), dtype=np.int64), np.array([[5, 5]]))
    env = maze.MazeBatch(setup)
    for action, expected in [(0, (5, 5)), (1, (5, 5)), (2, (5, 6)), (2, (5, 7)), (2, (5, 7)), (3, (5, 7)), (1, (5, 6))]:
        env.step(np.array([action]))
        assert tuple(env.positions[0]) == expected


def test_sampling_matches_reference_at_boundaries():
    probabilities = np.array([[0.2, 0.2, 0.2, 0.2, 0.2], [0.0, 0.5, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]])
    for u in [0.0, 0.19999999, 0.2, 0.4, 0.5, 0.9999999]:
        batched = maze.sample_actions(probabilities, np.full(3, u))
        looped = [reference.sample_action(row, u) for row in probabilities]
        assert batched.tolist() == looped
    # Zero-probability actions are never chosen.
    assert maze.sample_actions(probabilities[1:2], np.array([0.0]))[0] == 1
    assert maze.sample_actions(probabilities[1:2], np.array([0.5]))[0] == 3
