# replaces: mean_shift_solution
# loses: mean_shift, find_modes
# why: returns after a single mean-shift step instead of iterating until the points stop moving
def mean_shift(points, bandwidth, tol=1e-7, max_iter=1000):
    X = np.asarray(points, dtype=float)
    sq = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=2)
    weights = np.exp(-sq / (2 * bandwidth**2))
    return weights @ X / weights.sum(axis=1, keepdims=True)
