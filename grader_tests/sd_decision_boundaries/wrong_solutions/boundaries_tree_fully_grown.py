# replaces: boundaries_solution
# loses: boundaries=1
# why: forgets max_depth=4, so the tree grows until every leaf is pure and carves out single noisy points
def grid_predictions(name, X, y, resolution):
    classifiers = {
        "tree": DecisionTreeClassifier(random_state=0),
        "mlp": make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(32, 32), solver="lbfgs",
                                                             max_iter=2000, random_state=0)),
        "boosting": GradientBoostingClassifier(n_estimators=100, max_depth=2, random_state=0),
    }
    model = classifiers[name].fit(X, y)
    xx, yy = make_grid(X, resolution)
    Z = model.predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    return xx, yy, Z
