# replaces: discounted_returns_solution
# loses: discounted_returns
# why: runs the recursion forward in time, so R_t collects the past rewards instead of the future ones
def discounted_returns(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    returns = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards)):
        running = rewards[t] + gamma * running
        returns[t] = running
    return returns
