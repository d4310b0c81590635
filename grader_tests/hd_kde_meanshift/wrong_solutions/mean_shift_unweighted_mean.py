# replaces: mean_shift_solution
# loses: mean_shift, find_modes
# why: forgets the kernel weights and moves every point to the plain mean of all samples
def mean_shift(points, bandwidth, tol=1e-7, max_iter=1000):
    X = np.asarray(points, dtype=float)
    Y = X.copy()
    for _ in range(max_iter):
        Y_new = np.tile(X.mean(axis=0), (len(X), 1))
        largest_step = np.max(np.linalg.norm(Y_new - Y, axis=1))
        Y = Y_new
        if largest_step < tol * bandwidth:
            break
    return Y
