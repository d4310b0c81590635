# replaces: q_update_solution
# loses: q_update=1
# why: averages Q(s', a') over the actions instead of taking the maximum
def q_learning_update(Q, state, action, reward, next_state, done, alpha, gamma):
    Q = np.array(Q, dtype=float)
    target = reward if done else reward + gamma * np.mean(Q[next_state[0], next_state[1]])
    Q[state[0], state[1], action] += alpha * (target - Q[state[0], state[1], action])
    return Q
