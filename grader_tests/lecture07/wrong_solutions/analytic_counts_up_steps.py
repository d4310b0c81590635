# replaces: walker_analytic_solution
# loses: walker_analytic
# why: takes the mean number of up steps T p as the mean final position, forgetting the down steps
def expected_return(theta, T):
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return float(T * p_up)


def analytic_gradient(theta, T):
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return float(T * p_up * (1.0 - p_up))
