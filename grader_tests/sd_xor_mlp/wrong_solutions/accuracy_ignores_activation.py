# replaces: accuracy_solution
# loses: accuracy
# why: never passes the activation on, so every network uses the default relu
def xor_accuracy(hidden_units, activation, X_train, y_train, X_test, y_test, seed):
    model = MLPClassifier(hidden_layer_sizes=(int(hidden_units),), solver="adam",
                          learning_rate_init=0.01, max_iter=1000, random_state=int(seed))
    model.fit(X_train, y_train)
    return float(model.score(X_test, y_test))
