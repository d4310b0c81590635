# replaces: discounted_returns_solution
# loses: discounted_returns
# why: sums only the rewards after step t, leaving out r_t itself
def discounted_returns(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    returns = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        returns[t] = gamma * running
        running = rewards[t] + gamma * running
    return returns
