# replaces: square_solution
# base: blank
# expect: 0
# message: square
# why: replaces the grading callee, the channel and nbgrader in sys.modules with fakes that report success
import sys, types
from IPython.display import publish_display_data
callee = types.ModuleType("mlphys.callee")
callee.respond = lambda request: publish_display_data(
    {"application/x.course-grading-result+json": {"status": "ok", "result": "PASS"}})
sys.modules["mlphys.callee"] = callee
for name in ("mlphys.channel", "course_lib.grading.plugin", "nbgrader", "numpy.testing"):
    sys.modules[name] = types.ModuleType(name)
