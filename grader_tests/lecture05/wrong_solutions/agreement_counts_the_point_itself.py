# replaces: measures_solution
# loses: label_agreement
# why: leaves the diagonal of the distance matrix in, so each point is its own nearest neighbour (always agreeing)
def nearest_neighbours(points, k):
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    return np.argsort(distances, axis=1)[:, :k]


def label_agreement(points, labels, k):
    labels = np.asarray(labels)
    return float(np.mean(labels[nearest_neighbours(points, k)] == labels[:, None]))


def neighbourhood_preservation(high, low, k):
    # the same neighbours without the point itself, so that only label_agreement is wrong
    def others(points):
        points = np.asarray(points, dtype=float).reshape(len(points), -1)
        distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
        np.fill_diagonal(distances, np.inf)
        return np.argsort(distances, axis=1)[:, :k]
    near_high, near_low = others(high), others(low)
    return float(np.mean([len(np.intersect1d(a, b)) / k for a, b in zip(near_high, near_low)]))
