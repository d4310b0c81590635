# replaces: measures_solution
# loses: neighbourhood_preservation
# why: counts a neighbour as kept only if it has the same rank (1st, 2nd, ...) in both lists
def nearest_neighbours(points, k):
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    distances = np.sum((points[:, None, :] - points[None, :, :]) ** 2, axis=-1)
    np.fill_diagonal(distances, np.inf)
    return np.argsort(distances, axis=1)[:, :k]

def label_agreement(points, labels, k):
    labels = np.asarray(labels)
    return float(np.mean(labels[nearest_neighbours(points, k)] == labels[:, None]))


def neighbourhood_preservation(high, low, k):
    return float(np.mean(nearest_neighbours(high, k) == nearest_neighbours(low, k)))
