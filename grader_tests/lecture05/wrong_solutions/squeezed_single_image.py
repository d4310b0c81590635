# replaces: bottleneck_solution
# loses: bottleneck=1
# why: squeezes the result, so one image gives shape (8,) instead of (1, 8)
encoder = keras.Model(inputs=autoencoder.inputs, outputs=autoencoder.get_layer("bottleneck").output)


def bottleneck(batch):
    return np.squeeze(encoder.predict(np.asarray(batch, dtype=float), verbose=0))
