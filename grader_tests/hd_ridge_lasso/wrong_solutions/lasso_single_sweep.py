# replaces: lasso_solution
# loses: lasso=3
# why: performs a single sweep over the coordinates and ignores n_iter, so it stops long before convergence
def lasso_coordinate_descent(X, y, lam, n_iter=1000):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    residual = y.copy()
    norms = np.sum(X**2, axis=0)
    for j in range(d):
        rho = X[:, j] @ residual + norms[j] * w[j]
        new = float(soft_threshold(rho, lam)) / norms[j]
        residual -= (new - w[j]) * X[:, j]
        w[j] = new
    return w
