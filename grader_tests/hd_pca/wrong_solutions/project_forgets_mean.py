# replaces: project_reconstruct_solution
# loses: project_reconstruct=1
# why: projects the raw data, forgetting to subtract the mean before taking the scores
def project(X, mean, components):
    return np.asarray(X, dtype=float) @ np.asarray(components, dtype=float).T


def reconstruct(Z, mean, components):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float) + mean
