# replaces: mean_solution
# base: reference
# expect: 3
# message: a symbolic link \(not followed\)
# why: the notebook leaves symlinks to /, /etc, the graders, the secrets and its own environment in its folder for the copy-back
import os


def mean_of(values):
    return float(np.mean(values))


for name, target in {"root": "/", "etc": "/etc", "graders": "__COURSE_ROOT__/grader_tests",
                     "secrets": "__COURSE_ROOT__/.secrets", "environ": "/proc/self/environ", "proc": "/proc/1/root"}.items():
    os.symlink(target, name)
os.makedirs("deep/er", exist_ok=True)
os.symlink("/etc/passwd", "deep/er/passwd")
