# replaces: conv1d_solution
# loses: conv1d=2
# why: off by one: stops the window one position early, so the last output is missing
def conv1d(x, kernel, stride=1):
    x, kernel = np.asarray(x, dtype=float), np.asarray(kernel, dtype=float)
    m = len(kernel)
    return np.array([x[s:s + m] @ kernel for s in range(0, len(x) - m, stride)])
