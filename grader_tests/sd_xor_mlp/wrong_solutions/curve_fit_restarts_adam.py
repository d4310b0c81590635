# replaces: curve_solution
# loses: curve
# why: calls fit(warm_start=True, max_iter=1) per epoch, which keeps the weights but restarts adam's moment estimates each time
def mse_curve(hidden_units, epochs, X_train, z_train, X_val, z_val, seed):
    model = MLPRegressor(hidden_layer_sizes=(int(hidden_units),), activation="tanh", solver="adam",
                         learning_rate_init=0.01, random_state=int(seed), warm_start=True, max_iter=1)
    train_mse, val_mse = [], []
    for _ in range(int(epochs)):
        model.fit(X_train, z_train)
        train_mse.append(float(np.mean((model.predict(X_train) - z_train) ** 2)))
        val_mse.append(float(np.mean((model.predict(X_val) - z_val) ** 2)))
    return train_mse, val_mse
