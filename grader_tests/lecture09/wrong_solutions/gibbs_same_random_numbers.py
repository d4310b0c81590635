# replaces: gibbs_solution
# loses: gibbs
# why: draws one set of uniform numbers per chain and reuses it in every step, so the chains are not a Markov chain of the RBM
def gibbs_samples(W, b_v, b_h, n_chains, n_steps, seed):
    W = np.asarray(W, dtype=float)
    rng = np.random.default_rng(seed)
    v = (rng.random((n_chains, W.shape[0])) < 0.5).astype(float)
    u_h, u_v = rng.random((n_chains, W.shape[1])), rng.random((n_chains, W.shape[0]))
    for _ in range(n_steps):
        h = (u_h < hidden_probabilities(v, W, b_h)).astype(float)
        v = (u_v < visible_probabilities(h, W, b_v)).astype(float)
    return v
