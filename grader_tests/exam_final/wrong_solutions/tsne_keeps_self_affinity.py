# replaces: tsne_solution
# loses: tsne
# why: keeps k = i in the normalisation and p_i|i = 1 / (...) on the diagonal
def tsne_affinities(X, sigma):
    X, sigma = np.asarray(X, dtype=float), np.asarray(sigma, dtype=float)
    n = len(X)
    distances = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    weights = np.exp(-distances / (2 * sigma[:, None] ** 2))
    conditional = weights / weights.sum(axis=1, keepdims=True)
    return (conditional + conditional.T) / (2 * n)
