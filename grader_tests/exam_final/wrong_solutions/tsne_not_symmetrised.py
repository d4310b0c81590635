# replaces: tsne_solution
# loses: tsne
# why: returns p_j|i / n, the conditional probabilities without symmetrising them
def tsne_affinities(X, sigma):
    X, sigma = np.asarray(X, dtype=float), np.asarray(sigma, dtype=float)
    n = len(X)
    distances = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    weights = np.exp(-distances / (2 * sigma[:, None] ** 2))
    np.fill_diagonal(weights, 0.0)
    return weights / weights.sum(axis=1, keepdims=True) / n
