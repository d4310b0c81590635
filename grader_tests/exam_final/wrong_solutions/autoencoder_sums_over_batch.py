# replaces: autoencoder_solution
# loses: autoencoder
# why: sums over the batch instead of averaging (no 1/n in the cost and the gradient)
def autoencoder_gradient(X, W):
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    Z = X @ W
    R = Z @ W.T - X
    return 0.5 * np.sum(R ** 2), R.T @ Z + X.T @ (R @ W)
