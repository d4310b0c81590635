# replaces: gibbs_solution
# loses: gibbs
# why: returns the visible probabilities of the last step instead of sampled zeros and ones
def gibbs_samples(W, b_v, b_h, n_chains, n_steps, seed):
    W = np.asarray(W, dtype=float)
    rng = np.random.default_rng(seed)
    v = (rng.random((n_chains, W.shape[0])) < 0.5).astype(float)
    for _ in range(n_steps):
        h = (rng.random((n_chains, W.shape[1])) < hidden_probabilities(v, W, b_h)).astype(float)
        p = visible_probabilities(h, W, b_v)
        v = (rng.random(v.shape) < p).astype(float)
    return p
