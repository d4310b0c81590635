# replaces: gradient_solution
# loses: gradient, train
# why: returns X^T (Y - P) / n, the negative gradient, so training built on it climbs the loss
def cross_entropy_gradient(W, X, Y):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    P = softmax(X @ np.asarray(W, dtype=float))
    return X.T @ (Y - P) / len(X)
