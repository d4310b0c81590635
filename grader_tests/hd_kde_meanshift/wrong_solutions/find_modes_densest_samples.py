# replaces: find_modes_solution
# loses: find_modes
# why: skips mean shift and takes the samples whose KDE value is largest within one bandwidth as the modes
def find_modes(points, bandwidth):
    points = np.asarray(points, dtype=float)
    density = gaussian_kde(points, points, bandwidth)
    distances = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2)
    is_peak = np.array([density[i] >= density[distances[i] < bandwidth].max() for i in range(len(points))])
    modes = points[is_peak]
    labels = np.argmin(np.linalg.norm(points[:, None, :] - modes[None, :, :], axis=2), axis=1)
    return modes, labels
