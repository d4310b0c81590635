# replaces: square_solution
# base: blank
# expect: 0
# message: cell \d+ did not finish within 10 s and was interrupted
# why: a cell that never ends; it is interrupted and the rest of the notebook still runs
while True:
    pass
