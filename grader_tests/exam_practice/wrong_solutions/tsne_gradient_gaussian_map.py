# replaces: tsne_gradient_solution
# loses: tsne_gradient
# why: uses a Gaussian exp(-|y_i - y_j|^2) in the map as in SNE instead of the Student-t kernel
def tsne_cost_gradient(Y, P):
    Y, P = np.asarray(Y, dtype=float), np.asarray(P, dtype=float)
    differences = Y[:, None, :] - Y[None, :, :]
    kernel = np.exp(-np.sum(differences ** 2, axis=-1))
    np.fill_diagonal(kernel, 0.0)
    Q = kernel / kernel.sum()
    off = ~np.eye(len(Y), dtype=bool)
    cost = float(np.sum(P[off] * np.log(P[off] / Q[off])))
    return cost, 4 * np.einsum("ij,ijk->ik", P - Q, differences)
