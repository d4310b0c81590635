# replaces: softmax_solution
# loses: softmax=2
# why: subtracts the maximum of the whole batch instead of each row: rows far below it underflow to 0/0
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)
