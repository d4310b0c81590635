"""The maze generator, episode set-up and draws follow the challenge rules."""

import numpy as np

from mlphys import maze
from course_lib.challenges import maze_reference as reference


def test_generator_constants_for_m15():
    assert maze.maze_shape() == (15, 15)
    assert maze.complexity_steps() == 112
    assert maze.density_islands() == 36


def test_mazes_have_wall_borders_and_open_odd_cells():
    walls = maze.generate_mazes(maze.draw_episodes(7, 50).maze_uniforms)
    assert walls.shape == (50, 15, 15)
    assert walls[:, 0, :].all() and walls[:, -1, :].all() and walls[:, :, 0].all() and walls[:, :, -1].all()
    assert not walls[:, 1::2, 1::2].any()  # cells with both coordinates odd are never walls
    assert 0.3 < walls[:, 1:-1, 1:-1].mean() < 0.7
    assert len({w.tobytes() for w in walls}) == 50  # a fresh maze per episode


def test_last_neighbour_is_never_chosen():
    """randint(0, len(neighbours) - 1) excludes the last neighbour even for u just below 1."""
    almost_one = np.nextafter(1.0, 0.0)
    for count in (2, 3, 4):
        assert reference.randint(0, count - 1, almost_one) == count - 2
        assert maze.uniform_randint(np.array([almost_one]), 0, count - 1)[0] == count - 2
    # Island start cells are even and inside [0, 12] (randint(0, 7) * 2).
    assert reference.randint(0, 7, almost_one) * 2 == 12


def test_with_every_draw_near_one_walls_only_grow_towards_earlier_neighbours():
    """u ~ 1 always picks the second-to-last neighbour; the generator must still run and stay exact."""
    uniforms = np.full((1, 36, 114), np.nextafter(1.0, 0.0))
    np.testing.assert_array_equal(maze.generate_mazes(uniforms)[0], reference.generate_maze(uniforms[0]))


def test_chests_and_start_on_free_cells_inside_the_margin():
    draws = maze.draw_episodes(11, 200)
    setup = maze.setup_episodes(draws)
    assert (setup.chests.sum(axis=(1, 2)) == maze.NUM_CHESTS).all()
    rows, jx, jy = np.nonzero(setup.chests)
    assert not setup.walls[rows, jx, jy].any()
    assert jx.min() >= 2 and jx.max() <= 12 and jy.min() >= 2 and jy.max() <= 12
    assert not setup.walls[np.arange(200), setup.start[:, 0], setup.start[:, 1]].any()
    assert setup.start.min() >= 2 and setup.start.max() <= 12
    assert (setup.chests >= 2).any()  # stacking happens


def test_observation_layout():
    draws = maze.draw_episodes(3, 4)
    setup = maze.setup_episodes(draws)
    env = maze.MazeBatch(setup)
    obs = env.observations()
    assert obs.shape == (4, 15, 15, 3) and obs.dtype == np.float32
    np.testing.assert_array_equal(obs[..., 0], setup.walls)
    np.testing.assert_array_equal(obs[..., 1], setup.chests)
    assert (obs[..., 2].sum(axis=(1, 2)) == 1).all()
    assert (obs[np.arange(4), setup.start[:, 0], setup.start[:, 1], 2] == 1).all()


def test_episode_draws_do_not_depend_on_batching():
    whole = maze.draw_episodes(99, 10)
    part = maze.draw_episodes(99, 4, first=3)
    np.testing.assert_array_equal(part.maze_uniforms, whole.maze_uniforms[3:7])
    np.testing.assert_array_equal(part.action_uniforms, whole.action_uniforms[3:7])
    np.testing.assert_array_equal(part.chest_candidates, whole.chest_candidates[3:7])


def test_same_seed_same_episodes_and_different_seed_different_episodes():
    policy = lambda obs: np.full((len(obs), 5), 0.2)  # noqa: E731
    first = maze.play_episodes(maze.draw_episodes(5, 100), policy)
    again = maze.play_episodes(maze.draw_episodes(5, 100), policy)
    other = maze.play_episodes(maze.draw_episodes(6, 100), policy)
    np.testing.assert_array_equal(first.rewards, again.rewards)
    assert not np.array_equal(maze.draw_episodes(5, 3).maze_uniforms, maze.draw_episodes(6, 3).maze_uniforms)
    assert not np.array_equal(first.rewards, other.rewards)
