# replaces: soft_threshold_solution
# loses: soft_threshold, lasso
# why: uses z - t wherever |z| > t, forgetting that the branch for z < -t is z + t
def soft_threshold(z, t):
    z = np.asarray(z, dtype=float)
    return np.where(np.abs(z) > t, z - t, 0.0)
