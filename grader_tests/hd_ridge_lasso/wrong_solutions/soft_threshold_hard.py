# replaces: soft_threshold_solution
# loses: soft_threshold, lasso
# why: implements hard thresholding (keep z if |z| > t, else 0) instead of shrinking by t; the lasso built on it fails too
def soft_threshold(z, t):
    z = np.asarray(z, dtype=float)
    return np.where(np.abs(z) > t, z, 0.0)
