# replaces: conditionals_solution
# loses: conditionals, cd1, gibbs
# why: takes sigmoid(-z), the probability of the unit being off, as if E carried the opposite sign
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))


def hidden_probabilities(v, W, b_h):
    return sigmoid(np.asarray(v, dtype=float) @ W + b_h)


def visible_probabilities(h, W, b_v):
    return sigmoid(np.asarray(h, dtype=float) @ np.asarray(W).T + b_v)
