# replaces: xor_solution
# loses: xor
# why: returns predict_proba (an (n, 2) array of probabilities) instead of the labels
xor_model = MLPClassifier(hidden_layer_sizes=(8,), activation="relu", solver="adam",
                          learning_rate_init=0.01, max_iter=2000, random_state=0)
xor_model.fit(X_train, y_train)


def predict_xor(points):
    return xor_model.predict_proba(np.asarray(points, dtype=float))
