# replaces: tsne_solution
# loses: tsne=3
# why: uses the width sigma_j of the neighbour instead of sigma_i of the point i in p_j|i
def tsne_affinities(X, sigma):
    X, sigma = np.asarray(X, dtype=float), np.asarray(sigma, dtype=float)
    n = len(X)
    distances = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    weights = np.exp(-distances / (2 * sigma[None, :] ** 2))
    np.fill_diagonal(weights, 0.0)
    conditional = weights / weights.sum(axis=1, keepdims=True)
    return (conditional + conditional.T) / (2 * n)
