# replaces: bottleneck_solution
# loses: bottleneck
# why: a stub of the right shape that computes nothing (np.zeros)
def bottleneck(batch):
    return np.zeros((len(batch), 8))
