# replaces: mean_solution
# base: reference
# expect: 3
# message: nested more than
# why: a cell sends display messages nested 5000 levels deep (raw JSON bytes, in the content and in the header); grading goes on without them
def mean_of(values):
    return float(np.mean(values))


kernel = get_ipython().kernel
deep = b'{"data": {"application/json": ' + b'[' * 5000 + b']' * 5000 + b'}, "metadata": {}}'
kernel.session.send(kernel.iopub_socket, "display_data", content=deep, parent=kernel.get_parent())
kernel.session.send_raw(kernel.iopub_socket, [b'{"a":' * 5000 + b'1' + b'}' * 5000, b"{}", b"{}", b"{}"])
