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
import time
from queue import Empty

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Type

from .bwrap import Sandbox
from .messages import MAX_SOCKET_MESSAGE, bounded_unpack


class SandboxedKernelClient(AsyncKernelClient):
    """A client that is ready as soon as the kernel answers, without waiting for its IOPub channel to fall silent.

    jupyter_client waits until no IOPub message has come for 0.2 s: a fixed cost on every kernel
    start. nbclient matches every output to the request it answers, so the messages of the
    start-up are simply drained.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and await self._iopub_connected():
                self._handle_kernel_info_reply(reply)
                break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0)
            except Empty:
                return

    _async_wait_for_ready = wait_for_ready  # the public name is bound to the base method at class creation

    async def _iopub_connected(self) -> bool:
        """The kernel's IOPub messages reach us (its status messages come with every request)."""
        try:
            await self.iopub_channel.get_msg(timeout=0.2)
        except Empty:
            return False
        return True


class SandboxedKernelManager(AsyncKernelManager):
    sandbox: Sandbox | None = None  # set on a per-kernel subclass by ``for_sandbox``
    client_factory = Type(SandboxedKernelClient, klass=AsyncKernelClient)

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
        fork_kernel = getattr(self.sandbox, "fork_kernel", None)
        if fork_kernel is not None:  # a ZygoteSandbox: the kernel is forked, already imported, into its namespaces
            provisioner = self.provisioner
            provisioner.process = fork_kernel(self.connection_file, kw["env"])
            provisioner.pid, provisioner.pgid = provisioner.process.pid, None
            self._reconcile_connection_info(provisioner.connection_info)
            return
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
