# replaces: tsne_gradient_solution
# loses: tsne_gradient=3
# why: writes the factor 2 of the Gaussian SNE gradient instead of t-SNE's 4
def tsne_cost_gradient(Y, P):
    Y, P = np.asarray(Y, dtype=float), np.asarray(P, dtype=float)
    differences = Y[:, None, :] - Y[None, :, :]
    kernel = 1.0 / (1.0 + np.sum(differences ** 2, axis=-1))
    np.fill_diagonal(kernel, 0.0)
    Q = kernel / kernel.sum()
    off = ~np.eye(len(Y), dtype=bool)
    cost = float(np.sum(P[off] * np.log(P[off] / Q[off])))
    return cost, 2 * np.einsum("ij,ijk->ik", (P - Q) * kernel, differences)
