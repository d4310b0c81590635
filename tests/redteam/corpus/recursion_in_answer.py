# replaces: square_solution
# base: blank
# expect: 0
# message: raised an error in your code: 'RecursionError
# why: the student's own function recurses without end; that is the student's error, not the grader's
def square(x):
    return square(x)
