# replaces: autoencoder_solution
# loses: autoencoder=3
# why: differentiates only through the decoder and treats the code z = W^T x as a constant
def autoencoder_gradient(X, W):
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    n = len(X)
    Z = X @ W
    R = Z @ W.T - X
    return 0.5 * np.sum(R ** 2) / n, R.T @ Z / n
