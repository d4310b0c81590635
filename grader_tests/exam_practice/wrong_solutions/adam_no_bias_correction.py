# replaces: adam_solution
# loses: adam
# why: steps with m / (sqrt(v) + eps), without dividing by 1 - beta^t, so the first steps are far too small
def adam_step(theta, grad, m, v, t, eta=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    theta, grad, m, v = (np.asarray(x, dtype=float) for x in (theta, grad, m, v))
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return theta - eta * m / (np.sqrt(v) + eps), m, v
