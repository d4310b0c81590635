# replaces: ridge_solution
# loses: ridge
# why: writes X^T X + lam, which adds lam to every entry of the matrix instead of only to the diagonal
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam, X.T @ y)
