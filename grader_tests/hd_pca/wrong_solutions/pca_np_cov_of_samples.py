# replaces: pca_solution
# loses: pca
# why: calls np.cov(X) without rowvar=False, which treats the rows (samples) as the variables: an n x n matrix
def pca(X, k):
    S = np.cov(X)
    eigenvalues, eigenvectors = np.linalg.eigh(S)
    order = np.argsort(eigenvalues)[::-1][:k]
    return eigenvectors[:, order].T, eigenvalues[order]
