# replaces: mean_square_factor_solution
# loses: mean_square_factor
# why: treats sigma as the variance: sigma instead of sigma^2 (and sigma^2 instead of sigma^4)
def mean_square_factor(eta, N, sigma):
    return 1 - 2 * eta * N * sigma + eta**2 * sigma**2 * N * (N + 2)
