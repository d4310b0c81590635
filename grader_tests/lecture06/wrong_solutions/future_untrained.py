# replaces: lstm_model_solution
# loses: predict_future
# why: builds the LSTM but never trains it
keras.utils.set_random_seed(1)
lstm_model = keras.Sequential([
    keras.Input(shape=(2 * T, 1)),
    keras.layers.LSTM(32, return_sequences=True),
    keras.layers.Dense(1),
])
