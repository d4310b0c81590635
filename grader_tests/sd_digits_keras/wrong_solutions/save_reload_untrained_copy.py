# replaces: save_reload_solution
# loses: save_reload
# why: saves a freshly built copy of the architecture instead of the trained model, so the file holds random weights
fresh = keras.models.clone_model(model)
fresh.save("digits_model.keras")
reloaded_model = keras.models.load_model("digits_model.keras")


def predict_reloaded(images):
    return reloaded_model.predict(np.asarray(images, dtype="float32").reshape(-1, 64) / 16.0, verbose=0)
