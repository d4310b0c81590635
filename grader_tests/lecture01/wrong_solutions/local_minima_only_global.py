# replaces: local_minima_solution
# loses: local_minima=2
# why: runs gradient descent from a single good start and reports only the global minimum
def local_minima(omega):
    y_dense = np.sin(omega * X_DENSE)
    grid = np.linspace(*THETA_RANGE, 2000)
    costs = np.array([sample_cost(t, X_DENSE, y_dense) for t in grid])
    theta = grid[np.argmin(costs)]
    for _ in range(300):
        theta -= 0.05 * cost_gradient(theta, X_DENSE, y_dense)
    return np.array([theta])
