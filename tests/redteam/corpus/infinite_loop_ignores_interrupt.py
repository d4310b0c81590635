# replaces: square_solution
# base: blank
# expect: 0
# message: did not stop when interrupted
# why: swallows KeyboardInterrupt, so the kernel never answers again; it is killed and graded
import time
while True:
    try:
        time.sleep(0.1)
    except KeyboardInterrupt:
        pass
