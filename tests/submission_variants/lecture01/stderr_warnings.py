# replaces: cost_gradient_solution
# loses:
# why: a correct answer whose cells and whose graded function print TensorFlow and NumPy warnings to stderr
import sys
import warnings

import tensorflow as tf  # prints its usual start-up warnings to stderr

warnings.warn("a NumPy-style RuntimeWarning in a solution cell", RuntimeWarning)
np.log(np.array([0.0]))  # "divide by zero encountered in log" on stderr
print("a message on stderr", file=sys.stderr)


def cost_gradient(theta, x, y):
    warnings.warn("computing the gradient", UserWarning)
    print("progress note on stderr", file=sys.stderr)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((np.sin(theta * x) - y) * np.cos(theta * x) * x))
