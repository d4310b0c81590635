# replaces: periodic_layer_solution
# loses: *
# why: forgets to add the bias
class PeriodicConv1D(keras.layers.Layer):
    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(self.kernel_size, input_shape[-1], self.filters),
                                      initializer="glorot_uniform", name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def call(self, inputs):
        p = self.kernel_size // 2
        padded = ops.concatenate([inputs[:, inputs.shape[1] - p:], inputs, inputs[:, :p]], axis=1)
        return ops.conv(padded, self.kernel, padding="valid")


def periodic_conv(x, kernel, bias):
    x, kernel = np.asarray(x, dtype="float32"), np.asarray(kernel, dtype="float32")
    layer = PeriodicConv1D(filters=kernel.shape[2], kernel_size=kernel.shape[0])
    layer.build(x.shape)
    layer.set_weights([kernel, np.asarray(bias, dtype="float32")])
    return np.asarray(layer(x))

