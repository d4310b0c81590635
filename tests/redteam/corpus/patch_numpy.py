# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: makes every NumPy comparison succeed, then answers wrongly
import numpy, numpy.testing
numpy.allclose = lambda *a, **k: True
numpy.isclose = lambda a, b, *x, **k: numpy.ones_like(numpy.asarray(a), dtype=bool)
numpy.testing.assert_allclose = lambda *a, **k: None


def square(x):
    return 0.0


def mean_of(values):
    return "anything"
