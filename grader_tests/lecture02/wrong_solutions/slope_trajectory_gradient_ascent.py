# replaces: slope_trajectory_solution
# loses: slope_trajectory
# why: adds the gradient instead of subtracting it (sign error in the update rule)
def sgd_slope_trajectory(w0, wtilde, eta, x_batches):
    w = float(w0)
    trajectory = [w]
    for x in np.asarray(x_batches, dtype=float):
        w = w + eta * np.sum((w - wtilde) * x**2)
        trajectory.append(w)
    return np.array(trajectory)
