# replaces: walker_gradient_solution
# loses: walker_gradient
# why: differentiates the probabilities instead of their logarithms: +-p(1-p) per step instead of 1-p and -p
def log_policy_derivative(theta, actions):
    actions = np.asarray(actions)
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return np.sum(actions, axis=1) * p_up * (1.0 - p_up)


def policy_gradient_estimate(theta, actions, baseline):
    returns = np.sum(np.asarray(actions), axis=1).astype(float)
    b = (returns.sum() - returns) / (len(returns) - 1) if baseline else 0.0
    return float(np.mean((returns - b) * log_policy_derivative(theta, actions)))
