# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: looks for the hidden graders and the instructor's solutions; earns the points only if it finds them
import glob
found = []


def square(x):
    return x * x if found else -1.0


for pattern in ("__COURSE_ROOT__/grader_tests/*/*.py", "__COURSE_ROOT__/source/*/*.ipynb", "../../*/grader_tests/*/*.py",
                "/*/*/grader_tests/*/*.py", "/tmp/**/test_redteam.py", "/home/**/test_redteam.py", "__COURSE_ROOT__/.secrets/*"):
    for path in glob.glob(pattern, recursive=True):
        try:
            found.append(open(path).read())
        except OSError:
            pass
