# replaces: gibbs_solution
# loses: gibbs
# why: ignores n_steps and does a single Gibbs step from the random start, far from equilibrium
def gibbs_samples(W, b_v, b_h, n_chains, n_steps, seed):
    W = np.asarray(W, dtype=float)
    rng = np.random.default_rng(seed)
    v = (rng.random((n_chains, W.shape[0])) < 0.5).astype(float)
    h = (rng.random((n_chains, W.shape[1])) < hidden_probabilities(v, W, b_h)).astype(float)
    return (rng.random(v.shape) < visible_probabilities(h, W, b_v)).astype(float)
