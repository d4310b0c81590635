# replaces: discounted_returns_solution
# loses: discounted_returns=3
# why: discounts with gamma**t' from the start of the episode instead of gamma**(t' - t); right only for gamma = 1
def discounted_returns(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    discounted = rewards * gamma ** np.arange(len(rewards))
    return np.cumsum(discounted[::-1])[::-1]
