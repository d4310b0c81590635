# replaces: mean_solution
# base: reference
# expect: 0
# message: could not process
# why: sends well-signed messages whose content lacks the keys every Jupyter client relies on
def mean_of(values):
    return float(np.mean(values))


kernel = get_ipython().kernel
kernel.session.send(kernel.iopub_socket, "stream", content={}, parent=kernel.get_parent())
kernel.session.send(kernel.iopub_socket, "execute_result", content={"data": 5, "execution_count": "x"}, parent=kernel.get_parent())
