# replaces: classify_shapes_solution
# loses: classify_shapes
# why: a guess without a network: calls small bright areas circles, which fails because the sizes vary
def classify_shapes(images):
    area = np.sum(np.asarray(images) > 0.5, axis=(1, 2))
    return (area < 55).astype(int)
