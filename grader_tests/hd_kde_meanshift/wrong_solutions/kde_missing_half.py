# replaces: kde_solution
# loses: kde
# why: writes the exponent as -|x - x_i|^2 / h^2, forgetting the factor 1/2 of the Gaussian
def gaussian_kde(x_eval, samples, bandwidth):
    x_eval = np.asarray(x_eval, dtype=float)
    samples = np.asarray(samples, dtype=float)
    d = samples.shape[1]
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-sq / bandwidth**2), axis=1) / (2 * np.pi * bandwidth**2) ** (d / 2)
