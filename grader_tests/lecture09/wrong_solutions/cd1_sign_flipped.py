# replaces: cd1_solution
# loses: cd1
# why: subtracts the data term from the model term, which unlearns the data
def cd1_update(v0, W, b_v, b_h, u_h, u_v, eta):
    v0 = np.asarray(v0, dtype=float)
    p0 = hidden_probabilities(v0, W, b_h)
    h0 = (u_h < p0).astype(float)
    v1 = (u_v < visible_probabilities(h0, W, b_v)).astype(float)
    p1 = hidden_probabilities(v1, W, b_h)
    n = len(v0)
    return eta * (v1.T @ p1 - v0.T @ p0) / n, eta * np.mean(v1 - v0, axis=0), eta * np.mean(p1 - p0, axis=0)
