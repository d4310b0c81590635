# replaces: ridge_solution
# loses: ridge
# why: drops the 1/2 in front of the data term when differentiating, which gives (X^T X + lam/2) w = X^T y
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)
