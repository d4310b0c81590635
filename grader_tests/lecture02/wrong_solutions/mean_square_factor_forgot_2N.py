# replaces: mean_square_factor_solution
# loses: mean_square_factor
# why: replaces E[S^2] by E[S]^2 = N^2 sigma^4, forgetting the fluctuation term 2 N sigma^4
def mean_square_factor(eta, N, sigma):
    return 1 - 2 * eta * N * sigma**2 + eta**2 * sigma**4 * N**2
