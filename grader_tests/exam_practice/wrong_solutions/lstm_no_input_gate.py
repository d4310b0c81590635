# replaces: lstm_solution
# loses: lstm
# why: adds the candidate g to the memory without the input gate i
def lstm_step(x, h, c, W, U, b):
    x, h, c, W, U, b = (np.asarray(a, dtype=float) for a in (x, h, c, W, U, b))
    sigmoid = lambda s: 1.0 / (1.0 + np.exp(-s))
    z_i, z_f, z_g, z_o = np.split(x @ W + h @ U + b, 4)
    c_new = sigmoid(z_f) * c + np.tanh(z_g)
    return sigmoid(z_o) * np.tanh(c_new), c_new
