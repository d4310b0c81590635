# replaces: square_solution
# base: blank
# expect: 0
# message: kernel died while running cell \d+: the process exited with status 0
# why: ends its own kernel process with os._exit
import os
os._exit(0)
