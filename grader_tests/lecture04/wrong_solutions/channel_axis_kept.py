# replaces: circles_to_squares_solution
# loses: *
# why: returns the network's output with a trailing channel axis, shape (n, 24, 24, 1)
def circles_to_squares(images):
    return square_model.predict(np.asarray(images, dtype=float), verbose=0)[..., None]
