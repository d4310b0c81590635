# replaces: bottleneck_solution
# loses: bottleneck
# why: returns all activations as one flat vector of length 8 n
encoder = keras.Model(inputs=autoencoder.inputs, outputs=autoencoder.get_layer("bottleneck").output)


def bottleneck(batch):
    return encoder.predict(np.asarray(batch, dtype=float), verbose=0).ravel()
