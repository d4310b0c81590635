# replaces: q_maze_solution
# loses: q_maze
# why: hard-codes the notebook's maze: trains on the global walls, start and treasure instead of the arguments
def train_q_table(walls_, start_, treasure_, n_episodes, seed):
    rng = np.random.default_rng(seed)
    Q = np.zeros(walls.shape + (4,))
    for _ in range(n_episodes):
        state = start
        for _ in range(4 * walls.size):
            values = Q[state[0], state[1]]
            action = int(rng.integers(4)) if rng.random() < 0.2 else int(rng.choice(np.flatnonzero(values == values.max())))
            next_state = maze_step(walls, state, action)
            done = next_state == treasure
            Q = q_learning_update(Q, state, action, float(done), next_state, done, 0.5, 0.9)
            state = next_state
            if done:
                break
    return Q
