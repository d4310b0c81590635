# replaces: linear_backprop_solution
# loses: linear_backprop
# why: sums the gradients over the batch instead of averaging (forgets the division by batchsize)
def backprop_linear_output(y_in, y_target, weights, biases):
    num_layers = len(weights)
    y_layer, df_layer = [np.asarray(y_in, dtype=float)], []
    for j, (w, b) in enumerate(zip(weights, biases)):
        if j < num_layers - 1:
            y, df = forward_step(y_layer[-1], w, b)
        else:
            y = np.dot(y_layer[-1], w) + b
            df = np.ones_like(y)
        y_layer.append(y)
        df_layer.append(df)
    dw = [None] * num_layers
    db = [None] * num_layers
    delta = y_layer[-1] - y_target
    for j in reversed(range(num_layers)):
        dw[j] = np.dot(y_layer[j].T, delta)
        db[j] = delta.sum(0)
        if j > 0:
            delta = backward_step(delta, weights[j], df_layer[j - 1])
    return dw, db
