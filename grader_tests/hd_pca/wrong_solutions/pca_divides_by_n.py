# replaces: pca_solution
# loses: pca=2
# why: normalises the covariance with 1/n instead of the 1/(n - 1) the task asks for
def pca(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    S = Xc.T @ Xc / X.shape[0]
    eigenvalues, eigenvectors = np.linalg.eigh(S)
    order = np.argsort(eigenvalues)[::-1][:k]
    return eigenvectors[:, order].T, eigenvalues[order]
