# replaces: square_solution
# base: blank
# expect: 0
# message: processes|kernel died
# why: forks without end
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
