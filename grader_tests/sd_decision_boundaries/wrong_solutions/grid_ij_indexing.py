# replaces: grid_solution
# loses: grid, boundaries
# why: uses meshgrid with indexing="ij", so xx varies along the rows instead of the columns
def make_grid(X, resolution):
    X = np.asarray(X, dtype=float)
    x_values = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, int(resolution))
    y_values = np.linspace(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5, int(resolution))
    return np.meshgrid(x_values, y_values, indexing="ij")
