# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: writes into the course, the host's /tmp, /etc and the course package; earns points only if a write lands
import os
landed = []
for path in ("__COURSE_ROOT__/pwned.txt", "__COURSE_ROOT__/autograded/pwned.txt", "__COURSE_ROOT__/grader_tests/redteam/test_pwned.py",
             "../../pwned.txt", "/etc/pwned.txt", "__COURSE_LIB__/pwned.py", "/home/pwned.txt", "/root/pwned.txt"):
    try:
        with open(path, "w") as handle:
            handle.write("pwned")
        landed.append(path)
    except OSError:
        pass


def square(x):
    return x * x if landed else -1.0
