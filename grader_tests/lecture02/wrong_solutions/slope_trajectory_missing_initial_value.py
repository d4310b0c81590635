# replaces: slope_trajectory_solution
# loses: slope_trajectory
# why: records w only after each step, so the initial value w0 is missing (length steps instead of steps + 1)
def sgd_slope_trajectory(w0, wtilde, eta, x_batches):
    w = float(w0)
    trajectory = []
    for x in np.asarray(x_batches, dtype=float):
        w = w - eta * np.sum((w - wtilde) * x**2)
        trajectory.append(w)
    return np.array(trajectory)
