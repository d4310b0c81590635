# replaces: n_components_solution
# loses: n_components
# why: returns the index of the first cumulative ratio >= fraction, which is k - 1 (forgets that indices start at 0)
def n_components_for(X, fraction):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    eigenvalues = np.sort(np.linalg.eigvalsh(Xc.T @ Xc / (X.shape[0] - 1)))[::-1]
    ratio = np.cumsum(eigenvalues) / np.sum(eigenvalues)
    return int(np.argmax(ratio >= fraction))
