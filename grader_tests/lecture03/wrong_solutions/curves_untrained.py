# replaces: curve_model_solution
# loses: classify_curves
# why: builds and compiles the network but never trains it
keras.utils.set_random_seed(1)
def normalise_curves(curves):
    curves = np.asarray(curves, dtype=float)
    return curves / np.max(curves, axis=1, keepdims=True)


curve_model = keras.Sequential([
    keras.Input(shape=(64,)),
    keras.layers.Dense(50, activation="relu"),
    keras.layers.Dense(20, activation="relu"),
    keras.layers.Dense(2, activation="softmax"),
])
curve_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
