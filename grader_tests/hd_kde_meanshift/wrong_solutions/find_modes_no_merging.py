# replaces: find_modes_solution
# loses: find_modes
# why: returns every end point as its own mode, without grouping the end points that belong together
def find_modes(points, bandwidth):
    ends = mean_shift(points, bandwidth)
    return ends, np.arange(len(ends))
