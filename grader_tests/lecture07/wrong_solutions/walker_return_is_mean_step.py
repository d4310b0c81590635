# replaces: walker_gradient_solution
# loses: walker_gradient=2
# why: takes the mean step of a walk as its return instead of the final position (the sum of the steps)
def log_policy_derivative(theta, actions):
    actions = np.asarray(actions)
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return np.sum(actions == 1, axis=1) * (1.0 - p_up) - np.sum(actions == -1, axis=1) * p_up


def policy_gradient_estimate(theta, actions, baseline):
    returns = np.mean(np.asarray(actions), axis=1).astype(float)
    b = (returns.sum() - returns) / (len(returns) - 1) if baseline else 0.0
    return float(np.mean((returns - b) * log_policy_derivative(theta, actions)))
