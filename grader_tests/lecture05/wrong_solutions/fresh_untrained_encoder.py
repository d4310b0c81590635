# replaces: bottleneck_solution
# loses: bottleneck
# why: builds a new encoder with the same layer sizes instead of reusing the trained layers
encoder = keras.Sequential([
    keras.Input(shape=(8, 8)),
    keras.layers.Flatten(),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(8, activation="tanh"),
])


def bottleneck(batch):
    return encoder.predict(np.asarray(batch, dtype=float), verbose=0)
