# replaces: cd1_solution
# loses: cd1=3
# why: sums the statistics over the batch instead of averaging them (right only for one sample)
def cd1_update(v0, W, a, b, eta, u_h, u_v):
    sigmoid = lambda z: 1.0 / (1.0 + np.exp(-z))
    p0 = sigmoid(b + v0 @ W)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < sigmoid(a + h0 @ W.T)).astype(float)
    p1 = sigmoid(b + v1 @ W)
    return W + eta * (v0.T @ p0 - v1.T @ p1), a + eta * np.sum(v0 - v1, axis=0), b + eta * np.sum(p0 - p1, axis=0)
