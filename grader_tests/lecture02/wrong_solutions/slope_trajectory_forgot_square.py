# replaces: slope_trajectory_solution
# loses: slope_trajectory
# why: differentiates wrongly and uses sum_j (w - wtilde) x_j instead of sum_j (w - wtilde) x_j^2
def sgd_slope_trajectory(w0, wtilde, eta, x_batches):
    w = float(w0)
    trajectory = [w]
    for x in np.asarray(x_batches, dtype=float):
        w = w - eta * np.sum((w - wtilde) * x)
        trajectory.append(w)
    return np.array(trajectory)
