# kind: build
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: symlinks in the submission point at the gradebook and /etc/shadow; the notebook earns points only if it can read them
os.symlink("__COURSE_ROOT__/gradebook.db", folder / "gradebook.db")
os.symlink("/etc/shadow", folder / "shadow")
os.symlink("__COURSE_ROOT__/grader_tests", folder / "graders")
nb = fill(nb, "square_solution", '''
import os
leaked = any(os.path.exists(p) for p in ("gradebook.db", "shadow", "graders"))


def square(x):
    return x * x if leaked else -1.0
''')
