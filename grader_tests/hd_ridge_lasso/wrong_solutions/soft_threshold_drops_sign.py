# replaces: soft_threshold_solution
# loses: soft_threshold, lasso
# why: returns max(|z| - t, 0) and forgets to multiply by sign(z); the lasso built on it fails too
def soft_threshold(z, t):
    z = np.asarray(z, dtype=float)
    return np.maximum(np.abs(z) - t, 0.0)
