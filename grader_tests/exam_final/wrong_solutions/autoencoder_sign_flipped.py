# replaces: autoencoder_solution
# loses: autoencoder=3
# why: uses the residual x - x_hat instead of x_hat - x in the gradient, which points uphill
def autoencoder_gradient(X, W):
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    n = len(X)
    Z = X @ W
    R = X - Z @ W.T
    return 0.5 * np.sum(R ** 2) / n, (R.T @ Z + X.T @ (R @ W)) / n
