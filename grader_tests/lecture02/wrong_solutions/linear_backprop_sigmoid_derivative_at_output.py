# replaces: linear_backprop_solution
# loses: linear_backprop
# why: makes the forward pass linear at the output but still multiplies Delta by the sigmoid derivative f'(z_out)
def backprop_linear_output(y_in, y_target, weights, biases):
    num_layers = len(weights)
    y_layer, df_layer = [np.asarray(y_in, dtype=float)], []
    for j, (w, b) in enumerate(zip(weights, biases)):
        z = np.dot(y_layer[-1], w) + b
        y, df = net_f_df(z)
        if j == num_layers - 1:
            y = z  # linear output
        y_layer.append(y)
        df_layer.append(df)
    batchsize = y_layer[0].shape[0]
    dw = [None] * num_layers
    db = [None] * num_layers
    delta = (y_layer[-1] - y_target) * df_layer[-1]
    for j in reversed(range(num_layers)):
        dw[j] = np.dot(y_layer[j].T, delta) / batchsize
        db[j] = delta.sum(0) / batchsize
        if j > 0:
            delta = backward_step(delta, weights[j], df_layer[j - 1])
    return dw, db
