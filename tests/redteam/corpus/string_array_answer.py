# replaces: mean_solution
# base: reference
# expect: 2
# message: `mean_of\(values\)` must be real numbers, not an array of strings
# why: answers the right mean as a NumPy array of strings (0-d); a check must not parse it as a number
def mean_of(values):
    return np.array(repr(float(np.mean(values))))
