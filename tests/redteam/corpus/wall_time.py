# kind: build
# base: blank
# expect: 0
# message: used up its time limit of 40 s
# why: every cell stays under the 10 s cell timeout, together they exceed the submission's 40 s wall time
for _ in range(6):
    nb.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(8)"))
