# replaces: conditionals_solution
# loses: conditionals=1, cd1, gibbs
# why: leaves out the hidden bias in P(h = 1 | v)
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def hidden_probabilities(v, W, b_h):
    return sigmoid(np.asarray(v, dtype=float) @ W)


def visible_probabilities(h, W, b_v):
    return sigmoid(np.asarray(h, dtype=float) @ np.asarray(W).T + b_v)
