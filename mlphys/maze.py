"""The maze of the lecture 9 challenge, batched over episodes in NumPy.

Rules (the course's, quirks included): a 15x15 maze from the older Wikipedia generator with
complexity and density 0.75, 10 chests and a start cell drawn on free cells with both
coordinates in [2, M-3] (a failed draw is drawn again; chests may stack), 40 steps, five moves
(dx, dy) = (1,0), (0,-1), (0,1), (-1,0), (0,0) indexed [jx, jy], a move only into a free cell,
reward = chest count at the robot's (new or unchanged) cell, which then drops by one.

All randomness is drawn up front per episode, as uniform numbers and candidate cells, from
`SeedSequence(seed, spawn_key=(episode,))`. Episode i of a seed is therefore the same however
many episodes are played and however they are batched, and `maze_reference` can replay exactly
the same draws one episode at a time. `randint(low, high)` of the course, whose upper bound is
exclusive, is realised as ``low + floor(u * (high - low))`` from a uniform u.
"""

from dataclasses import dataclass

import numpy as np

MAZE_SIZE = 15
NUM_CHESTS = 10
EPISODE_STEPS = 40
ACTIONS = ((1, 0), (0, -1), (0, 1), (-1, 0), (0, 0))
NUM_ACTIONS = len(ACTIONS)
CELL_LOW, CELL_HIGH = 2, MAZE_SIZE - 3  # both inclusive
MAZE_COMPLEXITY = 0.75
MAZE_DENSITY = 0.75
CANDIDATE_BLOCK = 256


def maze_shape(size: int = MAZE_SIZE) -> tuple[int, int]:
    side = (size // 2) * 2 + 1
    return side, side


def complexity_steps(size: int = MAZE_SIZE) -> int:
    """Wall-extension attempts per island: int(0.75 * 5 * (rows + cols)), 112 for M = 15."""
    rows, cols = maze_shape(size)
    return int(MAZE_COMPLEXITY * (5 * (rows + cols)))


def density_islands(size: int = MAZE_SIZE) -> int:
    """Islands started: int(0.75 * (rows // 2) * (cols // 2)), 36 for M = 15."""
    rows, cols = maze_shape(size)
    return int(MAZE_DENSITY * ((rows // 2) * (cols // 2)))


def uniform_randint(u, low: int, high):
    """`randint(low, high)` (high exclusive) from uniform(s) u in [0, 1)."""
    return low + np.floor(u * (high - low)).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# Random draws


@dataclass
class EpisodeDraws:
    """Every random number a batch of episodes consumes.

    maze_uniforms[b, i] = (x, y, neighbour choices...) for island i of episode b;
    chest_candidates[b] is the stream of cells (jx, jy) from which the first NUM_CHESTS free ones
    become chests and the next free one the start; action_uniforms[b, t] samples step t's action.
    """

    maze_uniforms: np.ndarray
    chest_candidates: np.ndarray
    action_uniforms: np.ndarray

    def __len__(self) -> int:
        return len(self.action_uniforms)

    def __getitem__(self, index) -> "EpisodeDraws":
        return EpisodeDraws(self.maze_uniforms[index], self.chest_candidates[index], self.action_uniforms[index])


def episode_rng(seed: int, episode: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(episode,)))


def draw_episodes(seed: int, count: int, first: int = 0) -> EpisodeDraws:
    """Draws for episodes first .. first+count-1 of `seed`."""
    size = MAZE_SIZE
    islands, steps = density_islands(size), complexity_steps(size)
    maze_uniforms = np.empty((count, islands, 2 + steps))
    action_uniforms = np.empty((count, EPISODE_STEPS))
    streams = []
    for row, episode in enumerate(range(first, first + count)):
        rng = episode_rng(seed, episode)
        maze_uniforms[row] = rng.random((islands, 2 + steps))
        action_uniforms[row] = rng.random(EPISODE_STEPS)
        streams.append(_candidate_stream(rng))
    longest = max((len(stream) for stream in streams), default=CANDIDATE_BLOCK)
    candidates = np.empty((count, longest, 2), dtype=np.int64)
    for row, stream in enumerate(streams):
        candidates[row, : len(stream)] = stream
        candidates[row, len(stream) :] = stream[0]  # never reached, see _candidate_stream
    return EpisodeDraws(maze_uniforms, candidates, action_uniforms)


def _candidate_stream(rng: np.random.Generator) -> np.ndarray:
    """Candidate cells in blocks until the stream surely holds NUM_CHESTS + 1 free cells.

    Cells with both coordinates odd are never walls in this generator, so counting them
    guarantees enough free candidates without looking at the maze.
    """
    blocks, guaranteed = [], 0
    while guaranteed < NUM_CHESTS + 1:
        block = rng.integers(CELL_LOW, CELL_HIGH + 1, size=(CANDIDATE_BLOCK, 2))
        guaranteed += int(np.count_nonzero((block[:, 0] % 2 == 1) & (block[:, 1] % 2 == 1)))
        blocks.append(block)
    return np.concatenate(blocks)


# ---------------------------------------------------------------------------------------------
# Maze generation, batched


def _neighbour_tables(rows: int, cols: int):
    """Per flat cell: its neighbours two cells away in the course's order, and their count."""
    options = np.zeros((rows * cols, 4), dtype=np.int64)
    counts = np.zeros(rows * cols, dtype=np.int64)
    for y in range(0, rows, 2):
        for x in range(0, cols, 2):
            found = []
            if x > 1:
                found.append((y, x - 2))
            if x < cols - 2:
                found.append((y, x + 2))
            if y > 1:
                found.append((y - 2, x))
            if y < rows - 2:
                found.append((y + 2, x))
            cell = y * cols + x
            counts[cell] = len(found)
            for slot, (ny, nx) in enumerate(found):
                options[cell, slot] = ny * cols + nx
    return options, counts


def generate_mazes(maze_uniforms: np.ndarray, size: int = MAZE_SIZE) -> np.ndarray:
    """Walls (B, rows, cols) as bool, one maze per row of `maze_uniforms`.

    Island i starts at the even cell (randint(0, rows//2)*2, randint(0, cols//2)*2) and tries
    `complexity` times to extend a wall to the neighbour randint(0, len(neighbours) - 1), so the
    last neighbour in the list is never chosen (the course's quirk).
    """
    rows, cols = maze_shape(size)
    batch = len(maze_uniforms)
    options, counts = _neighbour_tables(rows, cols)
    walls = np.zeros((batch, rows, cols), dtype=bool)
    walls[:, 0, :] = walls[:, -1, :] = True
    walls[:, :, 0] = walls[:, :, -1] = True
    walls = walls.reshape(batch, rows * cols)
    index = np.arange(batch)
    by_step = np.ascontiguousarray(np.moveaxis(maze_uniforms, 0, -1))  # (islands, 2 + steps, B)
    for island in by_step:
        x = uniform_randint(island[0], 0, cols // 2) * 2
        y = uniform_randint(island[1], 0, rows // 2) * 2
        cell = y * cols + x
        walls[index, cell] = True
        for u in island[2:]:
            choice = uniform_randint(u, 0, counts[cell] - 1)
            target = options[cell, choice]
            free = ~walls[index, target]
            walls[index, target] = True  # a wall already if it was not free
            between = (cell + target) >> 1
            walls[index, between] |= free
            cell = np.where(free, target, cell)
    return walls.reshape(batch, rows, cols)


# ---------------------------------------------------------------------------------------------
# Chests and start, batched


@dataclass
class EpisodeSetup:
    """Initial state of a batch of episodes: walls (B,M,M) bool, chests (B,M,M) int, start (B,2)."""

    walls: np.ndarray
    chests: np.ndarray
    start: np.ndarray


def place_chests_and_start(walls: np.ndarray, candidates: np.ndarray) -> EpisodeSetup:
    """The first NUM_CHESTS free candidates get a chest each (stacking), the next is the start."""
    batch, size, _ = walls.shape
    cells = candidates[..., 0] * size + candidates[..., 1]
    free = ~np.take_along_axis(walls.reshape(batch, -1), cells, axis=1)
    first_free = np.argsort(~free, axis=1, kind="stable")[:, : NUM_CHESTS + 1]
    if not np.take_along_axis(free, first_free, axis=1).all():
        raise ValueError("candidate stream holds too few free cells")
    chosen = np.take_along_axis(cells, first_free, axis=1)
    chests = np.zeros((batch, size * size), dtype=np.int64)
    np.add.at(chests, (np.arange(batch)[:, None], chosen[:, :NUM_CHESTS]), 1)
    start = np.stack(np.divmod(chosen[:, NUM_CHESTS], size), axis=1)
    return EpisodeSetup(walls, chests.reshape(batch, size, size), start)


def setup_episodes(draws: EpisodeDraws) -> EpisodeSetup:
    return place_chests_and_start(generate_mazes(draws.maze_uniforms), draws.chest_candidates)


# ---------------------------------------------------------------------------------------------
# Acting


def action_probabilities(policy_output: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """(B,5) probabilities from a policy output: (B,5) as is, or an action map (B,M,M,5) at the robot."""
    output = np.asarray(policy_output)
    if output.ndim == 2 and output.shape[1] == NUM_ACTIONS:
        return output
    if output.ndim == 4 and output.shape[3] == NUM_ACTIONS:
        return output[np.arange(len(output)), positions[:, 0], positions[:, 1]]
    raise ValueError(f"policy output of shape {output.shape} is neither (B, 5) nor (B, M, M, 5)")


def sample_actions(probabilities: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
    """Inverse-CDF sampling: the first action whose normalised cumulative probability exceeds u."""
    cumulative = np.cumsum(np.asarray(probabilities, dtype=np.float64), axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    below = np.count_nonzero(uniforms[:, None] >= cumulative, axis=1)
    return np.minimum(below, NUM_ACTIONS - 1)


class MazeBatch:
    """B independent episodes stepped together; state is kept on flat cell indices."""

    def __init__(self, setup: EpisodeSetup):
        batch, size, _ = setup.walls.shape
        self.size = size
        self._index = np.arange(batch)
        self._walls = setup.walls.reshape(batch, -1).copy()
        self._chests = setup.chests.reshape(batch, -1).copy()
        self._cell = setup.start[:, 0] * size + setup.start[:, 1]
        self._offsets = np.array([dx * size + dy for dx, dy in ACTIONS])
        self._wall_plane = setup.walls.astype(np.float32)

    @property
    def positions(self) -> np.ndarray:
        return np.stack(np.divmod(self._cell, self.size), axis=1)

    @property
    def chests(self) -> np.ndarray:
        return self._chests.reshape(-1, self.size, self.size).copy()

    def observations(self) -> np.ndarray:
        """(B, M, M, 3) float32: walls, chest counts, robot one-hot, indexed [jx, jy, channel]."""
        batch, size = len(self._index), self.size
        obs = np.zeros((batch, size * size, 3), dtype=np.float32)
        obs[:, :, 0] = self._wall_plane.reshape(batch, -1)
        obs[:, :, 1] = self._chests
        obs[self._index, self._cell, 2] = 1.0
        return obs.reshape(batch, size, size, 3)

    def step(self, actions: np.ndarray) -> np.ndarray:
        """Move where free, collect the chest count at the cell, remove one chest there."""
        target = self._cell + self._offsets[actions]
        self._cell = np.where(self._walls[self._index, target], self._cell, target)
        rewards = self._chests[self._index, self._cell]
        self._chests[self._index, self._cell] = rewards - (rewards > 0)
        return rewards


@dataclass
class EpisodeOutcome:
    rewards: np.ndarray  # (B, steps) int
    actions: np.ndarray  # (B, steps) int

    @property
    def returns(self) -> np.ndarray:
        return self.rewards.sum(axis=1)


def play_episodes(draws: EpisodeDraws, policy, steps: int = EPISODE_STEPS) -> EpisodeOutcome:
    """Play a batch of episodes; `policy(observations)` returns (B,5) or (B,M,M,5) probabilities."""
    env = MazeBatch(setup_episodes(draws))
    batch = len(draws)
    rewards = np.zeros((batch, steps), dtype=np.int64)
    actions = np.zeros((batch, steps), dtype=np.int64)
    for t in range(steps):
        probabilities = action_probabilities(policy(env.observations()), env.positions)
        actions[:, t] = sample_actions(probabilities, draws.action_uniforms[:, t])
        rewards[:, t] = env.step(actions[:, t])
    return EpisodeOutcome(rewards=rewards, actions=actions)
