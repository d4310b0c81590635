# replaces: cd1_solution
# loses: cd1
# why: uses the sampled hidden units h0 instead of the probabilities p0 in the data statistics
def cd1_update(v0, W, a, b, eta, u_h, u_v):
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))
    p0 = sigmoid(b + v0 @ W)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < sigmoid(a + h0 @ W.T)).astype(float)
    p1 = sigmoid(b + v1 @ W)
    n = len(v0)
    return W + eta * (v0.T @ h0 - v1.T @ p1) / n, a + eta * np.mean(v0 - v1, axis=0), b + eta * np.mean(h0 - p1, axis=0)
