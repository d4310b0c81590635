# replaces: surface_solution
# loses: surface
# why: uses the "identity" activation, so the network is a linear model that cannot form the XOR saddle
from sklearn.neural_network import MLPRegressor

surface_model = MLPRegressor(hidden_layer_sizes=(16, 16), activation="identity", solver="adam",
                             learning_rate_init=0.01, max_iter=1000, random_state=0)
surface_model.fit(X_reg_train, z_reg_train)


def predict_surface(points):
    return surface_model.predict(np.asarray(points, dtype=float))
