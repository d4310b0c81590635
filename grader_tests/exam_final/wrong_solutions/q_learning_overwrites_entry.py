# replaces: q_learning_solution
# loses: q_learning
# why: forgets the learning rate and replaces Q(s, a) by the target
def q_learning_update(Q, s, a, r, s_next, alpha, gamma, done):
    Q = np.array(Q, dtype=float)
    Q[s, a] = r if done else r + gamma * np.max(Q[s_next])
    return Q
