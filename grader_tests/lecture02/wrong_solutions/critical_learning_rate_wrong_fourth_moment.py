# replaces: critical_learning_rate_solution
# loses: critical_learning_rate
# why: uses E[x^4] = sigma^4 instead of 3 sigma^4, so E[S^2] = sigma^4 N (N + 1) and eta_c = 2/(sigma^2 (N + 1))
def critical_learning_rate(N, sigma):
    return 2 / (sigma**2 * (N + 1))
