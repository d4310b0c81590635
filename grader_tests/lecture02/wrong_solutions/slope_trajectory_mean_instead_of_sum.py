# replaces: slope_trajectory_solution
# loses: slope_trajectory
# why: averages the gradient over the batch although the cost is a sum over the N samples
def sgd_slope_trajectory(w0, wtilde, eta, x_batches):
    w = float(w0)
    trajectory = [w]
    for x in np.asarray(x_batches, dtype=float):
        w = w - eta * np.mean((w - wtilde) * x**2)
        trajectory.append(w)
    return np.array(trajectory)
