# replaces: mean_square_factor_solution
# loses: mean_square_factor
# why: keeps only the diagonal terms sum_j E[x_j^4] = 3 N sigma^4 in E[S^2] and forgets the j != k terms
def mean_square_factor(eta, N, sigma):
    return 1 - 2 * eta * N * sigma**2 + eta**2 * 3 * N * sigma**4
