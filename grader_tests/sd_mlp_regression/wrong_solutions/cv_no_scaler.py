# replaces: cv_solution
# loses: cv
# why: cross-validates the MLP without the StandardScaler, on features of very different sizes
def make_pipeline_mlp(hidden_units, alpha):
    return MLPRegressor(hidden_layer_sizes=(int(hidden_units),), alpha=alpha, solver="lbfgs", max_iter=500,
                        random_state=0)


def cv_r2(X, y, hidden_units, alpha):
    scores = cross_val_score(make_pipeline_mlp(hidden_units, alpha), X, y, cv=KFold(5, shuffle=True, random_state=0))
    return float(np.mean(scores))
