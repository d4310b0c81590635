# replaces: grid_solution
# loses: grid, boundaries
# why: hard-codes the square [-2, 3] x [-2, 2] that fits the notebook's half moons, whatever the data
def make_grid(X, resolution):
    return np.meshgrid(np.linspace(-2.0, 3.0, int(resolution)), np.linspace(-2.0, 2.0, int(resolution)))
