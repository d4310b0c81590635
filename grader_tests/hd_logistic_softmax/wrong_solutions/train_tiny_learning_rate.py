# replaces: train_solution
# loses: train
# why: plain gradient descent with a far too small learning rate (1e-3 for 50 steps): W has barely left zero
def train_softmax_regression(X, Y, n_steps=50):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    W = np.zeros((X.shape[1], Y.shape[1]))
    for _ in range(n_steps):
        W = W - 1e-3 * cross_entropy_gradient(W, X, Y)
    return W
