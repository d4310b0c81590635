# replaces: grid_solution
# loses: grid
# why: searches only absurdly strong L2 penalties, so the network is pushed to a nearly constant output
last_search = None


def fit_and_predict(X_train, y_train, X_test):
    global last_search
    pipeline = Pipeline([("scale", StandardScaler()),
                         ("mlp", MLPRegressor(solver="lbfgs", max_iter=500, random_state=0))])
    grid = {"mlp__hidden_layer_sizes": [(2,)], "mlp__alpha": [1e5, 1e6]}
    last_search = GridSearchCV(pipeline, grid, cv=KFold(3, shuffle=True, random_state=0))
    last_search.fit(X_train, y_train)
    return last_search.predict(X_test)
