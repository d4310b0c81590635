# replaces: linear_backprop_solution
# loses: linear_backprop
# why: reuses the lecture's backprop unchanged, i.e. a sigmoid output layer instead of a linear one
def backprop_linear_output(y_in, y_target, weights, biases):
    return backprop(y_in, y_target, weights, biases)
