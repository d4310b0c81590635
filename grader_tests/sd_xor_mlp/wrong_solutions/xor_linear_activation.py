# replaces: xor_solution
# loses: xor
# why: uses the identity activation, so the network is a linear classifier and cannot learn XOR
xor_model = MLPClassifier(hidden_layer_sizes=(8,), activation="identity", solver="adam",
                          learning_rate_init=0.01, max_iter=2000, random_state=0)
xor_model.fit(X_train, y_train)


def predict_xor(points):
    return xor_model.predict(np.asarray(points, dtype=float))
