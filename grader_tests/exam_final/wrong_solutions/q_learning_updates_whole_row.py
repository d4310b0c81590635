# replaces: q_learning_solution
# loses: q_learning
# why: applies the update to every action of state s, not only to the action taken
def q_learning_update(Q, s, a, r, s_next, alpha, gamma, done):
    Q = np.array(Q, dtype=float)
    target = r if done else r + gamma * np.max(Q[s_next])
    Q[s] += alpha * (target - Q[s])
    return Q
