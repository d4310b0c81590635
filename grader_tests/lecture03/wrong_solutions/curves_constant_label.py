# replaces: classify_curves_solution
# loses: classify_curves
# why: answers "Gaussian" for every curve (half the curves are right by chance)
def classify_curves(curves):
    return np.zeros(len(curves), dtype=int)
