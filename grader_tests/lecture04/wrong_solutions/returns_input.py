# replaces: circles_to_squares_solution
# loses: circles_to_squares=4
# why: returns the circles unchanged (the trivial answer)
def circles_to_squares(images):
    return np.asarray(images, dtype=float)
