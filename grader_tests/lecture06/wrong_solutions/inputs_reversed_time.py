# replaces: lstm_inputs_solution
# loses: lstm_inputs
# why: puts the observations in reverse time order
# rerun: notebook
def lstm_inputs(observed):
    observed = np.asarray(observed, dtype=float)[:, ::-1]
    return np.concatenate([observed, np.zeros_like(observed)], axis=1)[:, :, None]
