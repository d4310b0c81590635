# replaces: grid_solution
# loses: grid=2
# why: grid-searches a bare MLPRegressor without the StandardScaler: it cannot cope with features of very different sizes
last_search = None


def fit_and_predict(X_train, y_train, X_test):
    global last_search
    grid = {"hidden_layer_sizes": [(10,), (30,)], "alpha": [10.0, 100.0, 1000.0]}
    last_search = GridSearchCV(MLPRegressor(solver="lbfgs", max_iter=500, random_state=0), grid,
                               cv=KFold(3, shuffle=True, random_state=0))
    last_search.fit(X_train, y_train)
    return last_search.predict(X_test)
