# replaces: mutual_information_solution
# loses: mutual_information
# why: forgets to divide the counts by their total N before taking them as probabilities
def mutual_information(counts):
    p = np.asarray(counts, dtype=float)
    product = np.outer(p.sum(axis=1), p.sum(axis=0))
    seen = p > 0
    return float(np.sum(p[seen] * np.log2(p[seen] / product[seen])))
