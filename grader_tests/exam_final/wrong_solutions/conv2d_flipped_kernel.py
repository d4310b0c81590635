# replaces: conv2d_solution
# loses: conv2d
# why: flips the kernel (a true convolution, as scipy.signal.convolve2d computes), unlike Keras
def conv2d_valid(image, kernel):
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)[::-1, ::-1]
    h, w = kernel.shape
    out = np.zeros((image.shape[0] - h + 1, image.shape[1] - w + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + h, j:j + w] * kernel)
    return out
