# replaces: classify_curves_solution
# loses: classify_curves
# why: returns the softmax probability of "Lorentzian" instead of a label
def classify_curves(curves):
    return curve_model.predict(normalise_curves(curves), verbose=0)[:, 1]
