# replaces: ridge_solution
# loses: ridge
# why: returns the (minimum-norm) least-squares solution and never uses lam
def ridge_fit(X, y, lam):
    return np.linalg.lstsq(np.asarray(X, dtype=float), np.asarray(y, dtype=float), rcond=None)[0]
