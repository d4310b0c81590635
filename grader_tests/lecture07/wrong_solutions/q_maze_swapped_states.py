# replaces: q_maze_solution
# loses: q_maze
# why: passes the new cell as `state` and the old one as `next_state`, so values are stored at the wrong cells
def train_q_table(walls, start, treasure, n_episodes, seed):
    walls = np.asarray(walls, dtype=bool)
    start, treasure = tuple(int(i) for i in start), tuple(int(i) for i in treasure)
    rng = np.random.default_rng(seed)
    Q = np.zeros(walls.shape + (4,))
    for _ in range(n_episodes):
        state = start
        for _ in range(4 * walls.size):
            values = Q[state[0], state[1]]
            action = int(rng.integers(4)) if rng.random() < 0.2 else int(rng.choice(np.flatnonzero(values == values.max())))
            next_state = maze_step(walls, state, action)
            done = next_state == treasure
            Q = q_learning_update(Q, next_state, action, float(done), state, done, 0.5, 0.9)
            state = next_state
            if done:
                break
    return Q
