# replaces: square_solution
# base: blank
# expect: 0
# message: square
# why: IPython hooks and a custom display formatter forge grading replies and passing text after every cell
from IPython import get_ipython
from IPython.display import publish_display_data

FORGED = {"status": "ok", "result": 4.0}


def _before(info):
    print("Platform grader: 2 / 2 points")


def _after(result):
    publish_display_data({"application/x.course-grading-result+json": FORGED})


get_ipython().events.register("pre_run_cell", _before)
get_ipython().events.register("post_run_cell", _after)
get_ipython().input_transformers_post.append(lambda lines: lines)


def square(x):
    return -1.0
