# replaces: n_components_solution
# loses: n_components
# why: forgets to centre the data, so the mean shows up as a huge first "component"
def n_components_for(X, fraction):
    X = np.asarray(X, dtype=float)
    eigenvalues = np.sort(np.linalg.eigvalsh(X.T @ X / (X.shape[0] - 1)))[::-1]
    ratio = np.cumsum(eigenvalues) / np.sum(eigenvalues)
    return int(np.searchsorted(ratio, fraction) + 1)
