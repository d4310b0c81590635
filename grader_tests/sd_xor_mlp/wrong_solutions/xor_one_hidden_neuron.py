# replaces: xor_solution
# loses: xor
# why: a single hidden neuron draws one line in the plane: at best three of the four clouds are right
xor_model = MLPClassifier(hidden_layer_sizes=(1,), activation="tanh", solver="adam",
                          learning_rate_init=0.01, max_iter=2000, random_state=0)
xor_model.fit(X_train, y_train)


def predict_xor(points):
    return xor_model.predict(np.asarray(points, dtype=float))
