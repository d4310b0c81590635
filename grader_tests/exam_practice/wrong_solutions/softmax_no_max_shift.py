# replaces: softmax_solution
# loses: softmax=2
# why: exponentiates the raw logits: overflow for entries near 1000
def softmax(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum(axis=-1, keepdims=True)
