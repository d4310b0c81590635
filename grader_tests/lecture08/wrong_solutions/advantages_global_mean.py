# replaces: returns_solution
# loses: returns=1
# why: subtracts one overall mean of all returns, ignoring that returns to go shrink towards the end of an episode
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
    return returns - returns.mean()
