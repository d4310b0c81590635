# replaces: mutual_information_solution
# loses: mutual_information
# why: sums over the wrong axes for the marginals, which only fits square tables and pairs p_xy with p_y p_x of other cells
def mutual_information(counts):
    p = np.asarray(counts, dtype=float)
    p = p / p.sum()
    product = np.outer(p.sum(axis=0), p.sum(axis=1))
    seen = p > 0
    return float(np.sum(p[seen] * np.log2(p[seen] / product[seen])))
