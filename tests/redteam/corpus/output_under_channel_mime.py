# replaces: mean_solution
# base: reference
# expect: 3
# message: output was cut
# why: prints 40 MB as display data under the grading channel's own MIME type, which the output cap once let through
from IPython.display import publish_display_data


def mean_of(values):
    return float(np.mean(values))


for _ in range(8):
    publish_display_data({"application/x.course-grading-result+json": {"status": "ok", "result": "r" * (5 * 2**20)}})
