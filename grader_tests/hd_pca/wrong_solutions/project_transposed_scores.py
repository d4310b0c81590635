# replaces: project_reconstruct_solution
# loses: project_reconstruct=1
# why: computes U_k^T (X - mean)^T, i.e. the scores as a (k, n) array instead of (n, k)
def project(X, mean, components):
    return np.asarray(components, dtype=float) @ (np.asarray(X, dtype=float) - mean).T


def reconstruct(Z, mean, components):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float) + mean
