# replaces: cv_solution
# loses: cv
# why: scores the folds by the (negative) mean squared error instead of R^2
def make_pipeline_mlp(hidden_units, alpha):
    return Pipeline([("scale", StandardScaler()),
                     ("mlp", MLPRegressor(hidden_layer_sizes=(int(hidden_units),), alpha=alpha, solver="lbfgs",
                                          max_iter=500, random_state=0))])


def cv_r2(X, y, hidden_units, alpha):
    scores = cross_val_score(make_pipeline_mlp(hidden_units, alpha), X, y, cv=KFold(5, shuffle=True, random_state=0),
                             scoring="neg_mean_squared_error")
    return float(np.mean(scores))
