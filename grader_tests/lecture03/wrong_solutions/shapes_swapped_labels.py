# replaces: classify_shapes_solution
# loses: classify_shapes
# why: mixes up the two output neurons
def classify_shapes(images):
    return np.argmin(shape_model.predict(np.asarray(images, dtype=float), verbose=0), axis=1)
