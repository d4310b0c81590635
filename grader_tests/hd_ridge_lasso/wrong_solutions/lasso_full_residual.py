# replaces: lasso_solution
# loses: lasso
# why: uses x_j^T r with the full residual instead of the partial residual (forgets to add back ||x_j||^2 w_j)
def lasso_coordinate_descent(X, y, lam, n_iter=1000):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    residual = y.copy()
    norms = np.sum(X**2, axis=0)
    for sweep in range(n_iter):
        largest_change = 0.0
        for j in range(d):
            rho = X[:, j] @ residual
            new = float(soft_threshold(rho, lam)) / norms[j]
            change = new - w[j]
            if change != 0.0:
                residual -= change * X[:, j]
                w[j] = new
                largest_change = max(largest_change, abs(change))
        if largest_change <= 1e-12 * max(np.max(np.abs(w)), 1e-300):
            break
    return w
