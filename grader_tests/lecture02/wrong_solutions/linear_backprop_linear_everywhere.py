# replaces: linear_backprop_solution
# loses: linear_backprop
# why: sets f'(z) = 1 in every layer, not only the output, so the hidden sigmoid derivatives are dropped
def backprop_linear_output(y_in, y_target, weights, biases):
    num_layers = len(weights)
    y_layer = [np.asarray(y_in, dtype=float)]
    for j, (w, b) in enumerate(zip(weights, biases)):
        z = np.dot(y_layer[-1], w) + b
        y_layer.append(net_f_df(z)[0] if j < num_layers - 1 else z)
    batchsize = y_layer[0].shape[0]
    dw = [None] * num_layers
    db = [None] * num_layers
    delta = y_layer[-1] - y_target
    for j in reversed(range(num_layers)):
        dw[j] = np.dot(y_layer[j].T, delta) / batchsize
        db[j] = delta.sum(0) / batchsize
        if j > 0:
            delta = np.dot(delta, weights[j].T)
    return dw, db
