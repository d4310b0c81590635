# replaces: measures_solution
# loses: neighbourhood_preservation
# why: looks for the k neighbours of the map among the 2k nearest of the original, a looser measure than the task's
def nearest_neighbours(points, k):
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1)[:, :k]

def label_agreement(points, labels, k):
    labels = np.asarray(labels)
    return float(np.mean(labels[nearest_neighbours(points, k)] == labels[:, None]))


def neighbourhood_preservation(high, low, k):
    near_high, near_low = nearest_neighbours(high, 2 * k), nearest_neighbours(low, k)
    return float(np.mean([len(np.intersect1d(a, b)) / k for a, b in zip(near_high, near_low)]))
