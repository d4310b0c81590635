# replaces: softmax_solution
# loses: softmax=1
# why: computes exp(Z) / sum exp(Z) literally, which overflows to inf / inf = nan for logits of size 1000
def softmax(Z):
    E = np.exp(np.asarray(Z, dtype=float))
    return E / np.sum(E, axis=1, keepdims=True)
