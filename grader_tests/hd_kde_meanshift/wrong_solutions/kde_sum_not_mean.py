# replaces: kde_solution
# loses: kde
# why: sums the kernels over the samples and forgets the 1/n, so the estimate integrates to n
def gaussian_kde(x_eval, samples, bandwidth):
    x_eval = np.asarray(x_eval, dtype=float)
    samples = np.asarray(samples, dtype=float)
    d = samples.shape[1]
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.sum(np.exp(-sq / (2 * bandwidth**2)), axis=1) / (2 * np.pi * bandwidth**2) ** (d / 2)
