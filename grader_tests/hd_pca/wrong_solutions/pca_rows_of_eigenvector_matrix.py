# replaces: pca_solution
# loses: pca=2
# why: sorts correctly but returns rows of the eigenvector matrix, although eigh puts the eigenvectors in its columns
def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(Xc.T @ Xc / (X.shape[0] - 1))
    eigenvalues, eigenvectors = eigenvalues[::-1], eigenvectors[:, ::-1]
    return eigenvectors[:k], eigenvalues[:k]
