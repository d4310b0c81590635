# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: imports the trusted side (graders' helpers, gradebook code, grading pipeline, hub, leaderboard); earns the points only if one import works
import importlib
imported = []
for name in ("course_lib", "course_lib.grading.checks", "course_lib.grading.plugin", "course_lib.grading.grades",
             "course_lib.hub.exchange_service", "course_lib.leaderboard.store", "course_lib.sandbox.bwrap",
             "grader_tests"):
    try:
        imported.append(importlib.import_module(name))
    except Exception:
        pass
import os
import mlphys  # the sandbox-side package: the trusted one is its sibling outside a sandbox

for folder in ("__COURSE_ROOT__/course_lib", os.path.join(os.path.dirname(os.path.dirname(mlphys.__file__)), "course_lib")):
    try:
        imported.extend(os.listdir(folder))
    except OSError:
        pass


def square(x):
    return x * x if [m for m in imported if getattr(m, "__name__", "").startswith(("course_lib", "grader_tests")) or isinstance(m, str)] else -1.0
