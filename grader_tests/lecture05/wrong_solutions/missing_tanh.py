# replaces: bottleneck_solution
# loses: bottleneck
# why: computes the bottleneck by hand from the weights but forgets its tanh activation
def bottleneck(batch):
    w1, b1, w2, b2 = autoencoder_weights()[:4]
    x = np.asarray(batch, dtype=float).reshape(len(batch), 64)
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2
