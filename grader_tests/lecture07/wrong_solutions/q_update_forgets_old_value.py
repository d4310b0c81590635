# replaces: q_update_solution
# loses: q_update, q_maze
# why: writes Q <- Q + alpha * target, forgetting to subtract the old value inside the bracket
def q_learning_update(Q, state, action, reward, next_state, done, alpha, gamma):
    Q = np.array(Q, dtype=float)
    target = reward if done else reward + gamma * np.max(Q[next_state[0], next_state[1]])
    Q[state[0], state[1], action] += alpha * target
    return Q
