# replaces: square_solution
# base: reference
# expect: 1
# message: `square` did not finish within 5 seconds
# why: the graded function sleeps; each call times out (mean_of still earns its point)
import time


def square(x):
    time.sleep(3600)
