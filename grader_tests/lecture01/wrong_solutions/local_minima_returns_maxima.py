# replaces: local_minima_solution
# loses: local_minima
# why: looks for sign changes of the slope from + to -, which are the maxima of the cost
def local_minima(omega):
    y_dense = np.sin(omega * X_DENSE)
    grid = np.linspace(*THETA_RANGE, 4000)
    slopes = np.array([cost_gradient(t, X_DENSE, y_dense) for t in grid])
    return grid[:-1][(slopes[:-1] > 0) & (slopes[1:] <= 0)]
