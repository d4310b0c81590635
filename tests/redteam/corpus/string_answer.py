# replaces: mean_solution
# base: reference
# expect: 2
# message: `mean_of\(values\)` must be real numbers, not str
# why: answers the right mean as text; a check must not parse strings as numbers
def mean_of(values):
    return repr(float(np.mean(values)))
