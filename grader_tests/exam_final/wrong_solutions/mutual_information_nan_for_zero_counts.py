# replaces: mutual_information_solution
# loses: mutual_information=2
# why: sums over all entries, so an empty cell gives 0 * log 0 = nan instead of zero
def mutual_information(counts):
    p = np.asarray(counts, dtype=float)
    p = p / p.sum()
    product = np.outer(p.sum(axis=1), p.sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(p * np.log2(p / product)))
