# replaces: tsne_solution
# loses: tsne
# why: puts the distance |x_i - x_j| instead of its square into the Gaussian
def tsne_affinities(X, sigma):
    X, sigma = np.asarray(X, dtype=float), np.asarray(sigma, dtype=float)
    n = len(X)
    distances = np.sqrt(np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1))
    weights = np.exp(-distances / (2 * sigma[:, None] ** 2))
    np.fill_diagonal(weights, 0.0)
    conditional = weights / weights.sum(axis=1, keepdims=True)
    return (conditional + conditional.T) / (2 * n)
