# replaces: conv2d_solution
# loses: conv2d=2
# why: takes the kernel height for both directions, which works only for square kernels
def conv2d_valid(image, kernel):
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    k = kernel.shape[0]
    out = np.zeros((image.shape[0] - k + 1, image.shape[1] - k + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + k, j:j + k] * kernel[:, :k])
    return out
