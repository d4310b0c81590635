# replaces: local_minima_solution
# loses: local_minima=2
# why: refines every candidate from it and from its two grid neighbours, and keeps all three copies of each minimum
def local_minima(omega):
    y_dense = np.sin(omega * X_DENSE)
    grid = np.linspace(*THETA_RANGE, 2000)
    step = grid[1] - grid[0]
    costs = np.array([sample_cost(t, X_DENSE, y_dense) for t in grid])
    candidates = grid[1:-1][(costs[1:-1] < costs[:-2]) & (costs[1:-1] < costs[2:])]
    minima = []
    for candidate in candidates:
        for theta in (candidate - step, candidate, candidate + step):
            for _ in range(300):
                theta -= 0.05 * cost_gradient(theta, X_DENSE, y_dense)
            minima.append(theta)
    return np.array(sorted(minima))
