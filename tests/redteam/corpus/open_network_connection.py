# replaces: square_solution
# base: blank
# expect: 0
# message: square\(x\) is not x \* x
# why: connects to a server on the grading host and to the internet; earns points only if one connects
import socket
connected = False
for host, port in (("127.0.0.1", __PORT__), ("1.1.1.1", 80), ("8.8.8.8", 53)):
    try:
        socket.create_connection((host, port), timeout=2).close()
        connected = True
    except OSError:
        pass


def square(x):
    return x * x if connected else -1.0
