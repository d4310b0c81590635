# replaces: surface_solution
# loses: surface
# why: trains a classifier on the sign of z and returns its labels 0/1, not values of the surface
from sklearn.neural_network import MLPRegressor

surface_model = MLPClassifier(hidden_layer_sizes=(16, 16), activation="tanh", solver="adam",
                              learning_rate_init=0.01, max_iter=1000, random_state=0)
surface_model.fit(X_reg_train, (z_reg_train > 0).astype(int))


def predict_surface(points):
    return surface_model.predict(np.asarray(points, dtype=float))
