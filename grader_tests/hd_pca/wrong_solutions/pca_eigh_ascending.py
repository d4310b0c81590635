# replaces: pca_solution
# loses: pca
# why: takes the first k eigenpairs from np.linalg.eigh, which sorts eigenvalues in ascending order (the smallest k)
def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(Xc.T @ Xc / (X.shape[0] - 1))
    return eigenvectors[:, :k].T, eigenvalues[:k]
