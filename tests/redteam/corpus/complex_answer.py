# replaces: mean_solution
# base: reference
# expect: 2
# message: `mean_of\(values\)` must be real numbers, not an array of complex numbers
# why: answers the mean as a complex number (imaginary part 1); a check must not drop the imaginary part
def mean_of(values):
    return np.asarray(np.mean(values) + 1j)
