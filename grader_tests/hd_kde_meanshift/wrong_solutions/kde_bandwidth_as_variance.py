# replaces: kde_solution
# loses: kde
# why: treats the bandwidth as the variance of the kernel (h instead of h^2 in the exponent and the constant)
def gaussian_kde(x_eval, samples, bandwidth):
    x_eval = np.asarray(x_eval, dtype=float)
    samples = np.asarray(samples, dtype=float)
    d = samples.shape[1]
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-sq / (2 * bandwidth)), axis=1) / (2 * np.pi * bandwidth) ** (d / 2)
