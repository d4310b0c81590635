# replaces: circles_to_squares_solution
# loses: circles_to_squares=4
# why: returns empty images
def circles_to_squares(images):
    return np.zeros(np.shape(images))
