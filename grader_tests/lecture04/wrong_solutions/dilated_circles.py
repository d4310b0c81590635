# replaces: circles_to_squares_solution
# loses: circles_to_squares=4
# why: a hand-made rule instead of a network: grows every circle by one pixel in all directions
def circles_to_squares(images):
    images = np.asarray(images, dtype=float)
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    shifts = [padded[:, 1 + a: 1 + a + images.shape[1], 1 + b: 1 + b + images.shape[2]]
              for a in (-1, 0, 1) for b in (-1, 0, 1)]
    return np.max(shifts, axis=0)
