# replaces: model_solution
# loses: model=3, save_reload=1
# why: trains for a single epoch with a tiny learning rate, so the network has hardly learnt anything
keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(shape=(64,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-5), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
history = model.fit(X_train / 16.0, y_train, epochs=1, batch_size=32, validation_split=0.2, verbose=0)


def predict_digits(images):
    return model.predict(np.asarray(images, dtype="float32").reshape(-1, 64) / 16.0, verbose=0)
