# replaces: conv2d_solution
# loses: conv2d
# why: swaps the roles of rows and columns of the image, giving the transposed (and wrongly shaped) output
def conv2d_valid(image, kernel):
    image, kernel = np.asarray(image, dtype=float).T, np.asarray(kernel, dtype=float).T
    h, w = kernel.shape
    out = np.zeros((image.shape[0] - h + 1, image.shape[1] - w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + h, j:j + w] * kernel)
    return out
