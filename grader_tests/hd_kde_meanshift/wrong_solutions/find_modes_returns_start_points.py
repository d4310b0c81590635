# replaces: find_modes_solution
# loses: find_modes
# why: groups the end points correctly but reports the sample where each group's first trajectory started as its mode
def find_modes(points, bandwidth):
    points = np.asarray(points, dtype=float)
    ends = mean_shift(points, bandwidth)
    modes, starts, labels = [], [], np.zeros(len(ends), dtype=int)
    for i, end in enumerate(ends):
        for k, mode in enumerate(modes):
            if np.linalg.norm(end - mode) < bandwidth / 2:
                labels[i] = k
                break
        else:
            modes.append(end)
            starts.append(points[i])
            labels[i] = len(modes) - 1
    return np.array(starts), labels
