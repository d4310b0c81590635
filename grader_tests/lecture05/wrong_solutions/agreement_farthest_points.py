# replaces: measures_solution
# loses: label_agreement
# why: takes the k farthest points (the end of the ascending argsort) as the neighbours for the labels
def nearest_neighbours(points, k):
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1)[:, :k]


def label_agreement(points, labels, k):
    labels = np.asarray(labels)
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    farthest = np.argsort(distances, axis=1)[:, -k:]
    return float(np.mean(labels[farthest] == labels[:, None]))


def neighbourhood_preservation(high, low, k):
    near_high, near_low = nearest_neighbours(high, k), nearest_neighbours(low, k)
    return float(np.mean([len(np.intersect1d(a, b)) / k for a, b in zip(near_high, near_low)]))

