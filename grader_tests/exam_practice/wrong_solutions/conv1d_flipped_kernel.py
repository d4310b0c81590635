# replaces: conv1d_solution
# loses: conv1d
# why: uses np.convolve, which flips the kernel (a true convolution), unlike Keras
def conv1d(x, kernel, stride=1):
    return np.convolve(x, kernel, mode="valid")[::stride]
