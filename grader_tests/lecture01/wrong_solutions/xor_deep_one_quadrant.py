# replaces: xor_deep_solution
# loses: xor_deep=2
# why: forgets the OR in the last layer and only reports the second quadrant
w1 = np.array([[1.0, -1.0, 0.0, 0.0],
               [0.0, 0.0, 1.0, -1.0]])
b1 = np.zeros(4)
w2 = np.array([[0.0, 1.0],
               [1.0, 0.0],
               [1.0, 0.0],
               [0.0, 1.0]])
b2 = np.array([-1.5, -1.5])
w3 = np.array([[1.0], [0.0]])
b3 = np.array([-0.5])
xor_deep_weights = [w1, w2, w3]
xor_deep_biases = [b1, b2, b3]
xor_deep_activations = ["step", "step", "step"]
