# replaces: learn_kernel_solution
# loses: learn_kernel
# why: builds the model but returns its initial weights without training
def learn_kernel(x, y, kernel_size):
    keras.utils.set_random_seed(0)
    x = np.asarray(x, dtype="float32")
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), PeriodicConv1D(1, kernel_size)])
    kernel, bias = model.layers[-1].get_weights()
    return kernel, bias
