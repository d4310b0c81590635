# replaces: surface_solution
# loses: surface
# why: stops after 3 epochs of a tiny learning rate, so the network still predicts nearly a constant
from sklearn.neural_network import MLPRegressor

surface_model = MLPRegressor(hidden_layer_sizes=(16, 16), activation="tanh", solver="adam",
                             learning_rate_init=0.0001, max_iter=3, random_state=0)
surface_model.fit(X_reg_train, z_reg_train)


def predict_surface(points):
    return surface_model.predict(np.asarray(points, dtype=float))
