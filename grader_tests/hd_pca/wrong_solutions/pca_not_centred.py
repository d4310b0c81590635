# replaces: pca_solution
# loses: pca=2
# why: forgets to subtract the mean, so it diagonalises the second-moment matrix X^T X / (n - 1) instead of the covariance
def pca(X, k):
    X = np.asarray(X, dtype=float)
    S = X.T @ X / (X.shape[0] - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(S)
    order = np.argsort(eigenvalues)[::-1][:k]
    return eigenvectors[:, order].T, eigenvalues[order]
