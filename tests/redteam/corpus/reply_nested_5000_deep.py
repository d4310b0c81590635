# replaces: mean_solution
# base: reference
# expect: 0
# message: nested more than
# why: during every grader call, the kernel answers with a message nested 5000 levels deep, written as raw JSON bytes
import mlphys.callee as callee


def mean_of(values):
    return float(np.mean(values))


def respond(request_text):
    kernel = get_ipython().kernel
    deep = b'{"data": {"application/x.course-grading-result+json": ' + b'[' * 5000 + b']' * 5000 + b'}, "metadata": {}}'
    kernel.session.send(kernel.iopub_socket, "display_data", content=deep, parent=kernel.get_parent())


callee.respond = respond
