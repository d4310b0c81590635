# replaces: critical_learning_rate_solution
# loses: critical_learning_rate
# why: loses the factor 2 when solving -2 eta E[S] + eta^2 E[S^2] = 0
def critical_learning_rate(N, sigma):
    return 1 / (sigma**2 * (N + 2))
