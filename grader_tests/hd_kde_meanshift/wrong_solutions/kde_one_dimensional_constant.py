# replaces: kde_solution
# loses: kde=2
# why: uses the one-dimensional constant 1/(sqrt(2 pi) h) in every dimension instead of (2 pi h^2)^(-d/2)
def gaussian_kde(x_eval, samples, bandwidth):
    x_eval = np.asarray(x_eval, dtype=float)
    samples = np.asarray(samples, dtype=float)
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-sq / (2 * bandwidth**2)), axis=1) / (np.sqrt(2 * np.pi) * bandwidth)
