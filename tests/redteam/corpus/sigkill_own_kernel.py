# replaces: square_solution
# base: blank
# expect: 0
# message: kernel died while running cell \d+: it was killed \(SIGKILL\)
# why: sends SIGKILL to its own kernel
import os, signal
os.kill(os.getpid(), signal.SIGKILL)
