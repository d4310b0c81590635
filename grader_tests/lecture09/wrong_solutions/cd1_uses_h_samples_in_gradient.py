# replaces: cd1_solution
# loses: cd1=2
# why: uses the sampled h0 in the positive term of dW instead of the probabilities p0 the task asks for
def cd1_update(v0, W, b_v, b_h, u_h, u_v, eta):
    v0 = np.asarray(v0, dtype=float)
    p0 = hidden_probabilities(v0, W, b_h)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < visible_probabilities(h0, W, b_v)).astype(float)
    p1 = hidden_probabilities(v1, W, b_h)
    n = len(v0)
    return eta * (v0.T @ h0 - v1.T @ p1) / n, eta * np.mean(v0 - v1, axis=0), eta * np.mean(p0 - p1, axis=0)
