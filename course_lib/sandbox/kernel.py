"""A Jupyter kernel manager whose kernel runs inside a ``Sandbox``.

The kernel always runs the course's own Python (``sys.executable -m ipykernel_launcher``),
whatever kernelspec the notebook names. Its sockets are ZeroMQ IPC files in a directory
bound into the sandbox, interrupts travel as messages (a signal to bwrap would not reach
the kernel), and its raw stdout/stderr are discarded (the notebook's output arrives
through IOPub and is capped there; set COURSE_SANDBOX_DEBUG=1 to see them).
"""

from __future__ import annotations

import os
import subprocess
import sys

import zmq
from jupyter_client.manager import AsyncKernelManager

from .bwrap import Sandbox
from .messages import MAX_SOCKET_MESSAGE, bounded_unpack


class SandboxedKernelManager(AsyncKernelManager):
    sandbox: Sandbox | None = None  # set on a per-kernel subclass by ``for_sandbox``

    @classmethod
    def for_sandbox(cls, sandbox: Sandbox) -> type["SandboxedKernelManager"]:
        return type("SandboxedKernelManagerFor", (cls,), {"sandbox": sandbox})

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = str(self.sandbox.ipc_dir / "kernel")
        self.connection_file = str(self.sandbox.ipc_dir / "kernel.json")
        self.session.unpack = bounded_unpack  # every frame the kernel sends is decoded within bounds

    def client(self, **kwargs):
        """A client whose sockets refuse oversized messages before reading them (ZMQ_MAXMSGSIZE)."""
        kc = super().client(**kwargs)
        kc.context.setsockopt(zmq.MAXMSGSIZE, MAX_SOCKET_MESSAGE)
        return kc

    def write_connection_file(self, **kwargs):
        super().write_connection_file(**kwargs)
        os.chmod(self.connection_file, 0o644)  # the kernel (the sandbox account) reads it; its folders keep others out

    def format_kernel_cmd(self, extra_arguments=None):
        return [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file, *(extra_arguments or [])]

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw["env"] = self.sandbox.environment(kw.get("env") or {})
        if not os.environ.get("COURSE_SANDBOX_DEBUG"):
            kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        kw["stdin"] = subprocess.DEVNULL
        kw["independent"] = True  # no JPY_PARENT_PID: see Sandbox.environment
        kw.pop("cwd", None)
        await super()._async_launch_kernel(self.sandbox.command(kernel_cmd), **kw)
        self.sandbox.attach(self.provisioner.process.pid)

    async def _async_interrupt_kernel(self) -> None:
        if self.has_kernel:
            msg = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel  # the public name is bound to the base method at class creation

    def exit_code(self) -> int | None:
        process = getattr(self.provisioner, "process", None)
        return None if process is None else process.poll()
