# replaces: cost_gradient_solution
# loses: cost_gradient, local_minima
# why: writes (y - f) instead of (f - y), giving the negative gradient (local_minima refines with it and fails too)
def cost_gradient(theta, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((y - np.sin(theta * x)) * np.cos(theta * x) * x))
