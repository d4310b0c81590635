# replaces: walker_analytic_solution
# loses: walker_analytic=1
# why: forgets the chain-rule factor 2 from R = T (2p - 1) in the derivative
def expected_return(theta, T):
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return float(T * (2.0 * p_up - 1.0))


def analytic_gradient(theta, T):
    p_up = 1.0 / (1.0 + np.exp(-theta))
    return float(T * p_up * (1.0 - p_up))
