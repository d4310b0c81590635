# replaces: project_reconstruct_solution
# loses: project_reconstruct=1
# why: reconstructs only the centred part U_k z and forgets to add the mean back
def project(X, mean, components):
    return (np.asarray(X, dtype=float) - mean) @ np.asarray(components, dtype=float).T


def reconstruct(Z, mean, components):
    return np.asarray(Z, dtype=float) @ np.asarray(components, dtype=float)
