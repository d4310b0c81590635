# replaces: tsne_gradient_solution
# loses: tsne_gradient
# why: normalises Q row by row, like the conditional p_j|i of the input space, instead of over all pairs
def tsne_cost_gradient(Y, P):
    Y, P = np.asarray(Y, dtype=float), np.asarray(P, dtype=float)
    differences = Y[:, None, :] - Y[None, :, :]
    kernel = 1.0 / (1.0 + np.sum(differences ** 2, axis=-1))
    np.fill_diagonal(kernel, 0.0)
    Q = kernel / kernel.sum(axis=1, keepdims=True)
    off = ~np.eye(len(Y), dtype=bool)
    cost = float(np.sum(P[off] * np.log(P[off] / Q[off])))
    return cost, 4 * np.einsum("ij,ijk->ik", (P - Q) * kernel, differences)
