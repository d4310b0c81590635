# replaces: lstm_solution
# loses: lstm=2
# why: outputs o * c_new, without the tanh of the memory
def lstm_step(x, h, c, W, U, b):
    x, h, c, W, U, b = (np.asarray(a, dtype=float) for a in (x, h, c, W, U, b))
    sigmoid = lambda s: 1.0 / (1.0 + np.exp(-s))
    z_i, z_f, z_g, z_o = np.split(x @ W + h @ U + b, 4)
    c_new = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_g)
    return sigmoid(z_o) * c_new, c_new
