# replaces: conv1d_solution
# loses: conv1d=2
# why: always slides the kernel by one sample, whatever the stride
def conv1d(x, kernel, stride=1):
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    m = len(kernel)
    return np.array([x[s:s + m] @ kernel for s in range(len(x) - m + 1)])
