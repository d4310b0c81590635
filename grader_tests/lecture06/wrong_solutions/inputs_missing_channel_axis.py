# replaces: lstm_inputs_solution
# loses: lstm_inputs
# why: returns shape (n, 2T) without the channel axis; Keras adds the axis itself, so only this check fails
# rerun: notebook
def lstm_inputs(observed):
    observed = np.asarray(observed, dtype=float)
    return np.concatenate([observed, np.zeros_like(observed)], axis=1)
