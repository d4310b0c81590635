# replaces: q_learning_solution
# loses: q_learning=1
# why: always adds gamma * max Q(s_next), also after the last step of an episode
def q_learning_update(Q, s, a, r, s_next, alpha, gamma, done):
    Q = np.array(Q, dtype=float)
    Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) - Q[s, a])
    return Q
