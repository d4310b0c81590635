# replaces: cost_gradient_solution
# loses: cost_gradient, local_minima
# why: sums over the sample instead of averaging, so the gradient scales with N (local_minima refines with it and fails too)
def cost_gradient(theta, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum((np.sin(theta * x) - y) * np.cos(theta * x) * x))
