# replaces: bottleneck_solution
# loses: bottleneck
# why: takes the output of the first hidden layer (32 neurons) instead of the bottleneck
encoder = keras.Model(inputs=autoencoder.inputs, outputs=autoencoder.get_layer("encoder_hidden").output)


def bottleneck(batch):
    return encoder.predict(np.asarray(batch, dtype=float), verbose=0)
