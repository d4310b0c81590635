# replaces: save_reload_solution
# loses: save_reload
# why: returns the predicted labels (argmax) instead of the probabilities
model.save("digits_model.keras")
reloaded_model = keras.models.load_model("digits_model.keras")


def predict_reloaded(images):
    p = reloaded_model.predict(np.asarray(images, dtype="float32").reshape(-1, 64) / 16.0, verbose=0)
    return p.argmax(axis=1)
