# replaces: surface_solution
# loses: surface
# why: one tanh neuron gives one smooth step across the plane, not four quadrants
from sklearn.neural_network import MLPRegressor

surface_model = MLPRegressor(hidden_layer_sizes=(1,), activation="tanh", solver="adam",
                             learning_rate_init=0.01, max_iter=1000, random_state=0)
surface_model.fit(X_reg_train, z_reg_train)


def predict_surface(points):
    return surface_model.predict(np.asarray(points, dtype=float))
