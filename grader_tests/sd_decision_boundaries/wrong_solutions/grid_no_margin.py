# replaces: grid_solution
# loses: grid, boundaries
# why: spans only the range of the data, without the 0.5 margin on each side (every grid check fails)
def make_grid(X, resolution):
    X = np.asarray(X, dtype=float)
    return np.meshgrid(np.linspace(X[:, 0].min(), X[:, 0].max(), int(resolution)),
                       np.linspace(X[:, 1].min(), X[:, 1].max(), int(resolution)))
