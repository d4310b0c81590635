# replaces: predict_future_solution
# loses: predict_future
# why: returns the network's output for all 2T steps instead of the last T
def predict_future(observed):
    return lstm_model.predict(lstm_inputs(observed), verbose=0)[:, :, 0]
