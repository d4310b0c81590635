# replaces: slope_trajectory_solution
# loses: slope_trajectory
# why: evaluates the gradient at the initial slope w0 in every step instead of at the current w
def sgd_slope_trajectory(w0, wtilde, eta, x_batches):
    w = float(w0)
    trajectory = [w]
    for x in np.asarray(x_batches, dtype=float):
        w = w - eta * np.sum((w0 - wtilde) * x**2)
        trajectory.append(w)
    return np.array(trajectory)
