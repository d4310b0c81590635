# replaces: kde_solution
# loses: kde
# why: averages the bare Gaussians exp(-|x - x_i|^2 / 2h^2) and forgets the normalisation constant (2 pi h^2)^(-d/2)
def gaussian_kde(x_eval, samples, bandwidth):
    x_eval = np.asarray(x_eval, dtype=float)
    samples = np.asarray(samples, dtype=float)
    sq = np.sum((x_eval[:, None, :] - samples[None, :, :]) ** 2, axis=2)
    return np.mean(np.exp(-sq / (2 * bandwidth**2)), axis=1)
