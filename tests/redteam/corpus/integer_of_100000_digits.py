# replaces: mean_solution
# base: reference
# expect: 3
# message: an integer of 100000 digits
# why: displays a JSON document holding a 100000-digit integer (too long for Python to convert by default)
def mean_of(values):
    return float(np.mean(values))


kernel = get_ipython().kernel
content = b'{"data": {"application/json": {"n": ' + b"7" * 100_000 + b'}}, "metadata": {}}'
kernel.session.send(kernel.iopub_socket, "display_data", content=content, parent=kernel.get_parent())
