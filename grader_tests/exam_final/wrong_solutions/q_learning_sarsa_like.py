# replaces: q_learning_solution
# loses: q_learning=3
# why: bootstraps with Q(s_next, a) of the same action instead of the maximum over actions
def q_learning_update(Q, s, a, r, s_next, alpha, gamma, done):
    Q = np.array(Q, dtype=float)
    target = r if done else r + gamma * Q[s_next, a]
    Q[s, a] += alpha * (target - Q[s, a])
    return Q
