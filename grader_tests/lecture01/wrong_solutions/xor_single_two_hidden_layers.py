# replaces: xor_single_solution
# loses: xor_single
# why: reuses the deep network, which has two hidden layers instead of one
w1 = np.array([[1.0, -1.0, 0.0, 0.0],
               [0.0, 0.0, 1.0, -1.0]])
b1 = np.zeros(4)
w2 = np.array([[0.0, 1.0],
               [1.0, 0.0],
               [1.0, 0.0],
               [0.0, 1.0]])
b2 = np.array([-1.5, -1.5])
w3 = np.array([[1.0], [1.0]])
b3 = np.array([-0.5])
xor_single_weights = [w1, w2, w3]
xor_single_biases = [b1, b2, b3]
xor_single_activations = ["step", "step", "step"]
