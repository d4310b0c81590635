# replaces: xor_solution
# loses: xor
# why: stops training after 5 epochs of a tiny learning rate, so the network has not learnt the XOR regions
xor_model = MLPClassifier(hidden_layer_sizes=(8,), activation="relu", solver="adam",
                          learning_rate_init=0.0005, max_iter=5, random_state=0)
xor_model.fit(X_train, y_train)


def predict_xor(points):
    return xor_model.predict(np.asarray(points, dtype=float))
