# replaces: mean_shift_solution
# loses: mean_shift, find_modes
# why: moves the samples themselves ("blurring" mean shift), so the density changes in every iteration
def mean_shift(points, bandwidth, tol=1e-7, max_iter=1000):
    Y = np.asarray(points, dtype=float).copy()
    for _ in range(max_iter):
        sq = np.sum((Y[:, None, :] - Y[None, :, :]) ** 2, axis=2)
        weights = np.exp(-sq / (2 * bandwidth**2))
        Y_new = weights @ Y / weights.sum(axis=1, keepdims=True)
        largest_step = np.max(np.linalg.norm(Y_new - Y, axis=1))
        Y = Y_new
        if largest_step < tol * bandwidth:
            break
    return Y
