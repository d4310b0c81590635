# replaces: critical_learning_rate_solution
# loses: critical_learning_rate
# why: uses sigma instead of the variance sigma^2
def critical_learning_rate(N, sigma):
    return 2 / (sigma * (N + 2))
