# replaces: soft_threshold_solution
# loses: soft_threshold, lasso
# why: shrinks every entry by t towards zero, z - t sign(z), without setting |z| <= t to zero
def soft_threshold(z, t):
    z = np.asarray(z, dtype=float)
    return z - t * np.sign(z)
