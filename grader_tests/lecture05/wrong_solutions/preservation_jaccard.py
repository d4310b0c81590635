# replaces: measures_solution
# loses: neighbourhood_preservation
# why: divides the shared neighbours by the size of the union of both sets (Jaccard index) instead of by k
def nearest_neighbours(points, k):
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1)[:, :k]

def label_agreement(points, labels, k):
    labels = np.asarray(labels)
    return float(np.mean(labels[nearest_neighbours(points, k)] == labels[:, None]))


def neighbourhood_preservation(high, low, k):
    near_high, near_low = nearest_neighbours(high, k), nearest_neighbours(low, k)
    return float(np.mean([len(np.intersect1d(a, b)) / len(np.union1d(a, b)) for a, b in zip(near_high, near_low)]))
