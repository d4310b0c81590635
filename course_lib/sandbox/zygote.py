"""Kernels forked from a zygote that imported their libraries once per grading worker.

Starting a kernel costs a Python start and the imports of ipykernel, NumPy and matplotlib (and
TensorFlow: 5 s) every time; grading pays it once per submission. A ``Zygote`` is one long-lived
process per grading worker, inside the same bubblewrap jail as any kernel (``Sandbox.jail``),
that has made those imports; ``ZygoteSandbox`` forks each submission's kernel from it into
namespaces of its own (``mlphys.zygote`` says which). Everything else is the ``Sandbox`` every
kernel has: the account, rlimits, watchdog, seal and copy-back.

The zygote runs as root inside its jail with the four capabilities it needs to make those
namespaces and drop to the submission's account; it never runs student code and reads nothing a
student wrote. Without root (no accounts to drop to) grading starts each kernel directly.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .bwrap import (HOME, MPL_CONFIG, STATE_DIR, WORK, Sandbox, SandboxUnavailable, _children, _exited, _within,
                    package_folder, process_tree)
from .limits import Limits

CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
START_TIMEOUT = 300.0  # importing TensorFlow on a busy machine
MAX_ANSWER = 1 << 16


class ZygoteFailed(SandboxUnavailable):
    """The zygote could not start or stopped answering; grading falls back to starting kernels directly."""


def zygote_possible() -> bool:
    """Forking kernels needs root (the zygote drops each kernel to a sandbox account) and a venv outside /tmp.

    Each kernel gets a fresh /tmp, which would hide anything the jail binds below /tmp.
    """
    bound = (sys.prefix, sys.base_prefix, package_folder("mlphys"))
    return os.geteuid() == 0 and not any(_within(os.path.realpath(path), ("/tmp",)) for path in bound)


class Zygote:
    """A jailed process that imported ``preload`` and forks one kernel at a time (see ``mlphys.zygote``)."""

    def __init__(self, limits: Limits, forbidden: tuple, preload: tuple[str, ...], environment: dict):
        self.key = _settings(limits, forbidden, preload)
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        self.box = Sandbox(limits, forbidden=forbidden, runtime_in=STATE_DIR).__enter__()  # outside each kernel's fresh /tmp
        self._buffer = b""
        try:
            command = self.box.jail(CAPABILITIES) + ["--", sys.executable, "-m", "mlphys.zygote", *preload]
            debug = bool(os.environ.get("COURSE_SANDBOX_DEBUG"))
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=None if debug else subprocess.DEVNULL,
                                            env=self.box.environment(environment))
            ready = self._answer(START_TIMEOUT)
            self.loaded = ready.get("ready")
            if self.loaded is None:
                raise ZygoteFailed(ready.get("error") or "the zygote did not report ready")
            self.pid = self._find_zygote()
        except BaseException:
            self.close()
            raise

    def _find_zygote(self) -> int:
        """The zygote's host PID: bwrap's own init sits between bwrap and it (both with the same arguments)."""
        for pid in process_tree(self.process.pid):
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:3] == [os.fsencode(sys.executable), b"-m",
                                                                                  b"mlphys.zygote"]:
                    return pid
        raise ZygoteFailed("the zygote's process is not to be found")

    def _answer(self, timeout: float) -> dict:
        """The zygote's next answer (bounded), or ZygoteFailed when none comes in time."""
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise ZygoteFailed(f"the zygote did not answer within {timeout:.0f} s")
            chunk = os.read(fd, 4096)
            if not chunk or len(self._buffer) > MAX_ANSWER:
                raise ZygoteFailed("the zygote stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, request: dict) -> tuple[int, int]:
        """Fork a kernel; return the host PIDs of its namespace's init and of the kernel."""
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        self._answer(30.0)  # "started"
        chain = [self.pid]
        deadline = time.monotonic() + 30.0
        while len(chain) < 4:  # zygote -> first child -> init of the new namespace -> kernel
            kids = _children(chain[-1])
            if kids:
                chain.append(kids[0])
            elif time.monotonic() > deadline:
                raise ZygoteFailed("the forked kernel did not appear")
            elif (code := self.exited(0)) is not None:
                raise ZygoteFailed(f"the forked kernel's namespace ended before the kernel started (exit code {code})")
            else:
                time.sleep(0.002)
        return chain[2], chain[3]

    def exited(self, timeout: float) -> int | None:
        """The last kernel's exit code once its namespace is gone; None if that takes longer than ``timeout``."""
        with contextlib.suppress(ZygoteFailed):
            if timeout <= 0 and b"\n" not in self._buffer and not select.select([self.process.stdout], [], [], 0)[0]:
                return None
            return self._answer(max(timeout, 0.001)).get("exited")
        return None

    def close(self) -> None:
        process = getattr(self, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        self.box.__exit__(None, None, None)


class ForkedKernel:
    """What jupyter_client's provisioner needs of a ``Popen``, for a kernel forked by the zygote."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, init_pid: int, pid: int):
        self.zygote, self.init_pid, self.pid = zygote, init_pid, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:  # once the namespace's init is gone, its exit code is a moment away
            self.returncode = self.zygote.exited(2.0 if _exited(self.init_pid) else 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote.exited(60.0 if timeout is None else timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """A kill or terminate ends the whole namespace (its init); other signals go to the kernel."""
        with contextlib.suppress(ProcessLookupError):
            if signum in (signal.SIGKILL, signal.SIGTERM):
                os.kill(self.init_pid, signal.SIGKILL)
            else:
                os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    terminate = kill


def _settings(limits: Limits, forbidden, preload) -> tuple:
    """What a zygote is started with: another assignment's limits or libraries need another zygote."""
    return limits, tuple(forbidden), tuple(preload)


_current: Zygote | None = None  # this process's zygote (a cache: one worker grades one assignment at a time)
_unavailable: str | None = None  # why a zygote could not start here (not tried again in this process)


def zygote_for(limits: Limits, forbidden: tuple, preload: tuple[str, ...], environment: dict) -> Zygote:
    """This process's zygote for these settings, started (or restarted) when needed."""
    global _current, _unavailable
    if _unavailable:
        raise ZygoteFailed(_unavailable)
    if _current is not None and (_current.key != _settings(limits, forbidden, preload) or not _current.alive()):
        _current.close()
        _current = None
    if _current is None:
        try:
            _current = Zygote(limits, forbidden, preload, environment)
        except (SandboxUnavailable, OSError) as exc:
            _unavailable = str(exc) or type(exc).__name__
            raise ZygoteFailed(_unavailable) from exc
        atexit.register(_current.close)
    return _current


def _empty(folder: Path) -> None:
    if not folder.is_dir():
        return
    for entry in list(os.scandir(folder)):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)


class ZygoteSandbox(Sandbox):
    """One submission's sandbox whose kernel is forked from the worker's zygote."""

    def __init__(self, zygote: Zygote, files_from: Path | None = None, skip_files=lambda rel: False):
        super().__init__(zygote.box.limits, files_from, skip_files, zygote.box.forbidden)
        self.zygote = zygote
        self.kernel: ForkedKernel | None = None

    def __enter__(self) -> "ZygoteSandbox":
        box = self.zygote.box
        self.bwrap, self.ipc_dir, self.submission = box.bwrap, box.ipc_dir, box.submission
        self.uid, self.gid = box.slot.uid, box.slot.gid
        for folder in (self.ipc_dir, self.submission):
            _empty(folder)
        os.chown(self.ipc_dir, self.uid, self.gid)
        os.chmod(self.ipc_dir, 0o700)
        self.take_files()
        return self

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        if self.kernel is not None and self.kernel.wait(10.0) is None:
            self.zygote.close()  # it did not report the kernel's end: never fork from it again
        _empty(self.submission)

    def fork_kernel(self, connection_file: str, env: dict) -> ForkedKernel:
        """Ask the zygote for this submission's kernel (instead of starting ``python -m ipykernel_launcher``)."""
        request = {
            "uid": self.uid, "gid": self.gid, "rlimits": self.rlimits(), "env": env, "work": WORK,
            "connection_file": connection_file, "tmp_bytes": self.limits.tmp_mb * 2**20,
            "work_bytes": self.limits.disk_mb * 2**20, "home_folders": [HOME, str(Path(MPL_CONFIG).parent), MPL_CONFIG],
            "debug": bool(os.environ.get("COURSE_SANDBOX_DEBUG")),
        }
        try:
            init_pid, pid = self.zygote.spawn(request)
        except (ZygoteFailed, OSError):
            self.zygote.close()  # the next submission starts a fresh one
            raise
        self.kernel = ForkedKernel(self.zygote, init_pid, pid)
        self.attach(init_pid)
        return self.kernel

    def init_pid(self) -> int | None:
        return self.outer_pid  # the namespace's init: its root is the kernel's file system
