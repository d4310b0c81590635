# replaces: returns_solution
# loses: returns=1
# why: discounts with gamma**t' counted from the start of the episode instead of gamma**(t' - t) from the current step
def returns_to_go(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    discounted = rewards * gamma ** np.arange(rewards.shape[1])
    return np.cumsum(discounted[:, ::-1], axis=1)[:, ::-1]


def advantages(returns):
    returns = np.asarray(returns, dtype=float)
    return returns - returns.mean(axis=0, keepdims=True)
