# replaces: q_maze_solution
# loses: q_maze
# why: always acts greedily with np.argmax (no epsilon, ties go to the first action), so the robot keeps bumping into the same wall
def train_q_table(walls, start, treasure, n_episodes, seed):
    walls = np.asarray(walls, dtype=bool)
    start, treasure = tuple(int(i) for i in start), tuple(int(i) for i in treasure)
    Q = np.zeros(walls.shape + (4,))
    for _ in range(n_episodes):
        state = start
        for _ in range(4 * walls.size):
            action = int(np.argmax(Q[state[0], state[1]]))
            next_state = maze_step(walls, state, action)
            done = next_state == treasure
            Q = q_learning_update(Q, state, action, float(done), next_state, done, 0.5, 0.9)
            state = next_state
            if done:
                break
    return Q
