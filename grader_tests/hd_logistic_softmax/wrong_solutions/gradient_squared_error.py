# replaces: gradient_solution
# loses: gradient, train
# why: uses the logits instead of the probabilities, X^T (X W - Y) / n: the gradient of the squared error, not the cross-entropy
def cross_entropy_gradient(W, X, Y):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    return X.T @ (X @ np.asarray(W, dtype=float) - Y) / len(X)
