# replaces: grid_solution
# loses: grid, boundaries
# why: takes the range of the first feature for both axes
def make_grid(X, resolution):
    X = np.asarray(X, dtype=float)
    values = np.linspace(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5, int(resolution))
    return np.meshgrid(values, values)
