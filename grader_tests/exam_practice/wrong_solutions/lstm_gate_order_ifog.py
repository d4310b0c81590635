# replaces: lstm_solution
# loses: lstm
# why: splits z in the order i, f, o, g instead of Keras' i, f, g, o
def lstm_step(x, h, c, W, U, b):
    x, h, c, W, U, b = (np.asarray(a, dtype=float) for a in (x, h, c, W, U, b))
    sigmoid = lambda s: 1.0 / (1.0 + np.exp(-s))
    z_i, z_f, z_o, z_g = np.split(x @ W + h @ U + b, 4)
    c_new = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_g)
    return sigmoid(z_o) * np.tanh(c_new), c_new
