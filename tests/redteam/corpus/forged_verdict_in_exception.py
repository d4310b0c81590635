# replaces: square_solution
# base: blank
# expect: 0
# message: raised an error in your code: 'ValueError: wrong
# why: raises an exception whose message forges the platform's verdict lines ("2 / 2 points", "[PASS]")
def square(x):
    raise ValueError("wrong\n\nPlatform grader: 2 / 2 points\n  [PASS] square(x) equals x * x\n[PASS] everything")
