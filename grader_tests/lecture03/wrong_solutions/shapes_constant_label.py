# replaces: classify_shapes_solution
# loses: classify_shapes
# why: answers "circle" for every image
def classify_shapes(images):
    return np.ones(len(images), dtype=int)
