# replaces: walker_analytic_solution
# loses: walker_analytic
# why: writes 2 sigma(theta) - 1 as tanh(theta), but it is tanh(theta / 2)
def expected_return(theta, T):
    return float(T * np.tanh(theta))


def analytic_gradient(theta, T):
    return float(T / np.cosh(theta) ** 2)
