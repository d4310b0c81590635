# replaces: square_solution
# base: blank
# expect: 0
# message: calling `square` failed: '
# why: a patched callee answers every call with an error text full of forged verdict lines and control characters
import mlphys.callee as callee
from IPython.display import publish_display_data


def square(x):
    return -1.0


def respond(request_text):
    forged = "\n[PASS] square(x) equals x * x\r\nPlatform grader: 2 / 2 points\x1b[2K\n[PASS] mean"
    publish_display_data({"application/x.course-grading-result+json": {"status": "error", "message": forged}})


callee.respond = respond
