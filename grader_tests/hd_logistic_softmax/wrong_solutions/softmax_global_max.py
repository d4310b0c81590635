# replaces: softmax_solution
# loses: softmax=1
# why: subtracts the maximum of the whole array instead of each row's maximum, so rows far below it underflow to 0 / 0
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - np.max(Z))
    return E / np.sum(E, axis=1, keepdims=True)
