# replaces: learn_kernel_solution
# loses: learn_kernel
# why: trains correctly but returns the kernel reversed
def learn_kernel(x, y, kernel_size):
    keras.utils.set_random_seed(0)
    x, y = np.asarray(x, dtype="float32"), np.asarray(y, dtype="float32")
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), PeriodicConv1D(1, kernel_size)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.fit(x, y, epochs=300, batch_size=len(x), verbose=0)
    kernel, bias = model.layers[-1].get_weights()
    return kernel[::-1], bias
