# replaces: critical_learning_rate_solution
# loses: critical_learning_rate
# why: gives the noise-free full-batch threshold 2/(N sigma^2) instead of the SGD one
def critical_learning_rate(N, sigma):
    return 2 / (N * sigma**2)
