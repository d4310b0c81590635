# replaces: autoencoder_solution
# loses: autoencoder=3
# why: returns the gradient with the shape (k, d) of W^T instead of the shape (d, k) of W
def autoencoder_gradient(X, W):
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    n = len(X)
    Z = X @ W
    R = Z @ W.T - X
    return 0.5 * np.sum(R ** 2) / n, ((R.T @ Z + X.T @ (R @ W)) / n).T
