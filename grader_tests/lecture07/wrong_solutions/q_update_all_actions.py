# replaces: q_update_solution
# loses: q_update, q_maze
# why: updates Q(s, a) for every action a of the state instead of only the action taken (so training cannot tell the actions apart)
def q_learning_update(Q, state, action, reward, next_state, done, alpha, gamma):
    Q = np.array(Q, dtype=float)
    target = reward if done else reward + gamma * np.max(Q[next_state[0], next_state[1]])
    Q[state[0], state[1]] += alpha * (target - Q[state[0], state[1]])
    return Q
