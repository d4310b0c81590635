# replaces: bottleneck_solution
# loses: bottleneck
# why: returns the autoencoder's output (the reconstructed images) instead of the bottleneck
def bottleneck(batch):
    return autoencoder_predict(batch)
