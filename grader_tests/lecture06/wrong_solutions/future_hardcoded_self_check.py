# replaces: predict_future_solution
# loses: predict_future
# why: returns the true futures of the self-check trajectories, whatever is observed
def predict_future(observed):
    futures = simulate(np.random.default_rng(123), 300)[:, T:, 0]
    return futures[: len(observed)]
