# replaces: project_reconstruct_solution
# loses: project_reconstruct=1
# why: ignores the mean passed in and centres the new data with its own mean
def project(X, mean, components):
    X = np.asarray(X, dtype=float)
    return (X - X.mean(axis=0)) @ np.asarray(components, dtype=float).T


def reconstruct(Z, mean, components):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float) + mean
