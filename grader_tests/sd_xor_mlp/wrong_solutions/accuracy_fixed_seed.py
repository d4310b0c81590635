# replaces: accuracy_solution
# loses: accuracy
# why: always uses random_state=0 instead of the seed it is given
def xor_accuracy(hidden_units, activation, X_train, y_train, X_test, y_test, seed):
    model = MLPClassifier(hidden_layer_sizes=(int(hidden_units),), activation=activation, solver="adam",
                          learning_rate_init=0.01, max_iter=1000, random_state=0)
    model.fit(X_train, y_train)
    return float(model.score(X_test, y_test))
