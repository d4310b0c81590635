# replaces: mutual_information_solution
# loses: mutual_information
# why: uses the natural logarithm, which gives the mutual information in nats instead of bits
def mutual_information(counts):
    p = np.asarray(counts, dtype=float)
    p = p / p.sum()
    product = np.outer(p.sum(axis=1), p.sum(axis=0))
    seen = p > 0
    return float(np.sum(p[seen] * np.log(p[seen] / product[seen])))
