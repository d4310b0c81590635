# replaces: walker_gradient_solution
# loses: walker_gradient=1
# why: subtracts the plain batch mean, which includes the walk's own return: (N-1)/N of the leave-one-out estimate
def log_policy_derivative(theta, actions):
    actions = np.asarray(actions)
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return np.sum(actions == 1, axis=1) * (1.0 - p_up) - np.sum(actions == -1, axis=1) * p_up


def policy_gradient_estimate(theta, actions, baseline):
    returns = np.sum(np.asarray(actions), axis=1).astype(float)
    b = returns.mean() if baseline else 0.0
    return float(np.mean((returns - b) * log_policy_derivative(theta, actions)))
