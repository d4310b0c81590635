# replaces: bottleneck_solution
# loses: bottleneck
# why: computes the bottleneck by hand but treats the first hidden layer as linear
def bottleneck(batch):
    w1, b1, w2, b2 = autoencoder_weights()[:4]
    x = np.asarray(batch, dtype=float).reshape(len(batch), 64)
    return np.tanh((x @ w1 + b1) @ w2 + b2)
