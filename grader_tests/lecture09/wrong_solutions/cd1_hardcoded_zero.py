# replaces: cd1_solution
# loses: cd1
# why: returns zero increments of the right shapes, which passes the self-check (data reproduced exactly) and nothing else
def cd1_update(v0, W, b_v, b_h, u_h, u_v, eta):
    W = np.asarray(W)
    return np.zeros(W.shape), np.zeros(W.shape[0]), np.zeros(W.shape[1])
