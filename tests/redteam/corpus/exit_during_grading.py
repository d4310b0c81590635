# replaces: square_solution
# base: blank
# expect: 0
# message: kernel died while the grader was calling your code
# why: the notebook runs, but the graded function kills the kernel when the grader calls it
import os


def square(x):
    os._exit(1)
