# replaces: square_solution
# base: blank
# expect: 0
# message: No such process|kernel died
# why: kill(-1, SIGKILL) kills every process it may signal; in the sandbox that is only its own
import os, signal
os.kill(-1, signal.SIGKILL)
