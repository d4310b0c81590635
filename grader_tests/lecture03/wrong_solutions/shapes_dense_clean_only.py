# replaces: shape_model_solution
# loses: classify_shapes=2
# why: a dense network trained only on clean images: fine without noise, breaks down with noise
keras.utils.set_random_seed(2)
train_images, train_shape_labels = make_shapes(np.random.default_rng(2), 6000, 0.0)
shape_model = keras.Sequential([
    keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE)),
    keras.layers.Flatten(),
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(2, activation="softmax"),
])
shape_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
shape_model.fit(train_images, train_shape_labels, epochs=15, batch_size=50, verbose=0)
