# replaces: softmax_solution
# loses: softmax
# why: normalises over the batch axis (columns) instead of over each row
def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
