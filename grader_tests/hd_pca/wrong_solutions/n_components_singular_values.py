# replaces: n_components_solution
# loses: n_components
# why: uses the singular values of the centred data instead of their squares (the variances) in the ratio
def n_components_for(X, fraction):
    X = np.asarray(X, dtype=float)
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    ratio = np.cumsum(s) / np.sum(s)
    return int(np.searchsorted(ratio, fraction) + 1)
