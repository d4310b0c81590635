# replaces: mean_solution
# base: reference
# expect: 0
# message: square|mean_of
# why: replaces the kernel-side callee so that every grader call answers with 250 MB; the grading process must not read it
import mlphys.callee as callee
from IPython.display import publish_display_data


def mean_of(values):
    return float(np.mean(values))


def respond(request_text):
    publish_display_data({"application/x.course-grading-result+json": {"status": "ok", "result": "7" * (250 * 2**20)}})


callee.respond = respond
