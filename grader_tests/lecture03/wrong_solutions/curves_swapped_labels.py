# replaces: classify_curves_solution
# loses: classify_curves
# why: mixes up the two output neurons, so Gaussians are called Lorentzians and vice versa
def classify_curves(curves):
    probabilities = curve_model.predict(normalise_curves(curves), verbose=0)
    return 1 - np.argmax(probabilities, axis=1)
