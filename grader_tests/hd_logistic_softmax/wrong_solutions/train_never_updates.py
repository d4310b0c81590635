# replaces: train_solution
# loses: train
# why: stores each step in a new variable but returns the initial W = 0, so every sample gets class 0
def train_softmax_regression(X, Y, n_steps=300):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    eta = 2.0 / np.max(np.linalg.eigvalsh(X.T @ X / len(X)))
    W = np.zeros((X.shape[1], Y.shape[1]))
    for _ in range(n_steps):
        W_new = W - eta * cross_entropy_gradient(W, X, Y)
    return W
