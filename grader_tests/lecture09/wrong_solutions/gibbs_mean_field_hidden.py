# replaces: gibbs_solution
# loses: gibbs
# why: passes the hidden probabilities on instead of sampling the hidden units (a mean-field shortcut that biases the statistics)
def gibbs_samples(W, b_v, b_h, n_chains, n_steps, seed):
    W = np.asarray(W, dtype=float)
    rng = np.random.default_rng(seed)
    v = (rng.random((n_chains, W.shape[0])) < 0.5).astype(float)
    for _ in range(n_steps):
        h = hidden_probabilities(v, W, b_h)
        v = (rng.random(v.shape) < visible_probabilities(h, W, b_v)).astype(float)
    return v
