# replaces: mean_square_factor_solution
# loses: mean_square_factor
# why: linearises in eta and drops the eta^2 E[S^2] term
def mean_square_factor(eta, N, sigma):
    return 1 - 2 * eta * N * sigma**2
