# replaces: adam_solution
# loses: adam
# why: averages |g| instead of g^2 in the second moment
def adam_step(theta, grad, m, v, t, eta=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    theta, grad, m, v = (np.asarray(x, dtype=float) for x in (theta, grad, m, v))
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * np.abs(grad)
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return theta - eta * m_hat / (np.sqrt(v_hat) + eps), m, v
