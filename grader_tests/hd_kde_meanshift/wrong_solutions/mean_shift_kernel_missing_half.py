# replaces: mean_shift_solution
# loses: mean_shift, find_modes
# why: weights with exp(-|y - x_i|^2 / h^2), i.e. the kernel of bandwidth h / sqrt(2), so it finds the modes of another KDE
def mean_shift(points, bandwidth, tol=1e-7, max_iter=1000):
    X = np.asarray(points, dtype=float)
    Y = X.copy()
    for _ in range(max_iter):
        sq = np.sum((Y[:, None, :] - X[None, :, :]) ** 2, axis=2)
        weights = np.exp(-sq / bandwidth**2)
        Y_new = weights @ X / weights.sum(axis=1, keepdims=True)
        largest_step = np.max(np.linalg.norm(Y_new - Y, axis=1))
        Y = Y_new
        if largest_step < tol * bandwidth:
            break
    return Y
