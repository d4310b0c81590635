# replaces: grid_solution
# loses: grid=2
# why: replaces the MLP by a linear regression: fine on diabetes, but it cannot learn a non-linear target
last_search = None


def fit_and_predict(X_train, y_train, X_test):
    global last_search
    pipeline = Pipeline([("scale", StandardScaler()), ("linear", LinearRegression())])
    last_search = GridSearchCV(pipeline, {"linear__fit_intercept": [True, False]}, cv=3)
    last_search.fit(X_train, y_train)
    return last_search.predict(X_test)
