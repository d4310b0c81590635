# replaces: save_reload_solution
# loses: save_reload=1
# why: feeds the raw grey values 0..16 to the reloaded model, without the division by 16 used in training
model.save("digits_model.keras")
reloaded_model = keras.models.load_model("digits_model.keras")


def predict_reloaded(images):
    return reloaded_model.predict(np.asarray(images, dtype="float32").reshape(-1, 64), verbose=0)
