# replaces: conditionals_solution
# loses: conditionals, cd1, gibbs
# why: uses (1 + tanh(z)) / 2, which is sigmoid(2 z), the probability for +-1 spins, not for 0/1 units
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(z))


def hidden_probabilities(v, W, b_h):
    return sigmoid(np.asarray(v, dtype=float) @ W + b_h)


def visible_probabilities(h, W, b_v):
    return sigmoid(np.asarray(h, dtype=float) @ np.asarray(W).T + b_v)
