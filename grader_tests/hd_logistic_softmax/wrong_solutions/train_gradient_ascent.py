# replaces: train_solution
# loses: train
# why: adds the gradient instead of subtracting it, so it maximises the cross-entropy
def train_softmax_regression(X, Y, n_steps=300):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    eta = 2.0 / np.max(np.linalg.eigvalsh(X.T @ X / len(X)))
    W = np.zeros((X.shape[1], Y.shape[1]))
    for _ in range(n_steps):
        W = W + eta * cross_entropy_gradient(W, X, Y)
    return W
