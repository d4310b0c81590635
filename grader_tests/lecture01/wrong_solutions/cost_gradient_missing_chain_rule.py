# replaces: cost_gradient_solution
# loses: cost_gradient
# why: forgets the inner derivative x_j of sin(theta x_j)
def cost_gradient(theta, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((np.sin(theta * x) - y) * np.cos(theta * x)))
