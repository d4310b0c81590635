# replaces: returns_solution
# loses: returns=1
# why: subtracts each episode's average over its time steps instead of the batch average at each step
def returns_to_go(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    returns = np.zeros_like(rewards)
    running = np.zeros(len(rewards))
    for t in range(rewards.shape[1] - 1, -1, -1):
        running = rewards[:, t] + gamma * running
        returns[:, t] = running
    return returns


def advantages(returns):
    returns = np.asarray(returns, dtype=float)
    return returns - returns.mean(axis=1, keepdims=True)
