# replaces: adam_solution
# loses: adam
# why: updates theta correctly but hands back the moments it was given, so the next step starts from stale averages
def adam_step(theta, grad, m, v, t, eta=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    theta, grad, m, v = (np.asarray(x, dtype=float) for x in (theta, grad, m, v))
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - eta * m_hat / (np.sqrt(v_hat) + eps), m, v
