# replaces: xor_single_solution
# loses: xor_single=2
# why: uses a linear hidden layer, which collapses the network to a single linear threshold
w1 = np.array([[1.0, -1.0, 1.0, -1.0],
               [-1.0, 1.0, 1.0, -1.0]])
b1 = np.zeros(4)
w2 = np.array([[1.0], [1.0], [-1.0], [-1.0]])
b2 = np.zeros(1)
xor_single_weights = [w1, w2]
xor_single_biases = [b1, b2]
xor_single_activations = ["linear", "step"]
