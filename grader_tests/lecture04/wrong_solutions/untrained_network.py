# replaces: square_model_solution
# loses: circles_to_squares=4
# why: builds the network but never trains it
keras.utils.set_random_seed(1)
train_circles, train_squares = make_circles_and_squares(np.random.default_rng(1), 3000)
square_model = keras.Sequential([
    keras.Input(shape=(IMAGE_SIZE, IMAGE_SIZE)),
    keras.layers.Reshape((IMAGE_SIZE, IMAGE_SIZE, 1)),
    keras.layers.Conv2D(16, 5, activation="relu", padding="same"),
    keras.layers.Conv2D(16, 5, activation="relu", padding="same"),
    keras.layers.Conv2D(1, 3, activation="sigmoid", padding="same"),
    keras.layers.Reshape((IMAGE_SIZE, IMAGE_SIZE)),
])
