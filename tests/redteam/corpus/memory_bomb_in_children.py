# replaces: square_solution
# base: blank
# expect: 0
# message: memory limit of 1536 MB
# why: spreads the allocation over child processes, each under the per-process limit
import os, time
for _ in range(6):
    if os.fork() == 0:
        block = bytearray(700 * 2**20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(60)
        os._exit(0)
time.sleep(30)
