# replaces: model_solution
# loses: model=1
# rerun: notebook
# why: a linear output layer trained with from_logits=True: the network classifies well but returns logits, not probabilities
keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(32, activation="relu"),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
history = model.fit(X_train / 16.0, y_train, epochs=30, batch_size=64, validation_split=0.2, verbose=0)


def predict_digits(images):
    return model.predict(np.asarray(images, dtype="float32").reshape(-1, 64) / 16.0, verbose=0)
