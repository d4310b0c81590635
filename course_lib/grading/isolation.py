"""The hidden graders of one submission run in a child process with memory and CPU limits.

Graders compute with what the student's code returned: a network given as weight lists,
an array of any shape. A hostile answer of a few MB can make such a computation need
gigabytes. So the graders (pytest, the data channel's decoding, the graders' own numerics)
run in a forked child with ``RLIMIT_DATA`` and ``RLIMIT_CPU`` set and its resident memory
watched, while the grading process keeps only the kernel: it runs each call cell the child
asks for and hands back the raw reply, undecoded.

Between the two, only JSON travels, in length-bounded frames: calls, raw replies, and one
line per finished check. If the child dies (memory, CPU, wall time), the checks it finished
keep their result and every other check fails with a message that says why; the batch goes on.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import json
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sandbox.bwrap import rss_bytes
from mlphys import channel
from .plugin import GraderConfigurationError, run_hidden_graders
from .student import KernelCaller, StudentCodeError, StudentProxy, UnavailableStudent
from .verdicts import CellVerdict, Check

FRAME_LIMIT = channel.MAX_PAYLOAD_CHARS + 2**20  # a raw reply, or a call's inputs, plus framing


@dataclass
class GraderLimits:
    """What one submission's graders may use (see ``Limits.grader_memory_mb`` and friends)."""

    memory_mb: int = 2048
    cpu_seconds: int = 600
    wall_time: float = 1800.0


@dataclass
class GraderRun:
    """The verdicts per grade cell, and grader bugs an instructor must see."""

    verdicts: dict[str, CellVerdict]
    internal_errors: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the graders' process was stopped, if it was


def _send(conn, kind: str, payload: Any) -> None:
    conn.send_bytes(json.dumps([kind, payload]).encode())


def _receive(conn) -> tuple[str, Any]:
    kind, payload = json.loads(conn.recv_bytes(FRAME_LIMIT))
    return kind, payload


def _data_size_mb() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmData:"):
                return int(line.split()[1]) // 1024
    return 0


def _child(conn, grader_dir: str, failure: str | None, seed: int, input_key: str, grade_points: dict,
           call_timeout: float, limits: GraderLimits) -> None:
    """The graders' process: limits first, then pytest; every outcome goes back over ``conn``."""
    try:
        allowed = (_data_size_mb() + limits.memory_mb) * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (allowed, allowed))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        signal.signal(signal.SIGINT, signal.SIG_DFL)

        def transport(request_text: str, name: str, timeout: float) -> Any:
            _send(conn, "call", [request_text, name, timeout])
            kind, payload = _receive(conn)
            if kind == "error":
                raise StudentCodeError(payload)
            return payload

        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only the graders' own plugin: nothing installed joins in
        student = UnavailableStudent(failure) if failure else StudentProxy(transport, call_timeout)
        plugin = run_hidden_graders(Path(grader_dir), student, seed, input_key, grade_points,
                                    on_event=lambda kind, payload: _send(conn, kind, payload))
        _send(conn, "done", {"internal_errors": plugin.internal_errors})
    except GraderConfigurationError as exc:
        _send(conn, "broken", str(exc))
    except MemoryError:
        _send(conn, "stopped", "memory")
    finally:
        conn.close()
        os._exit(0)


class _Child:
    """The forked graders' process: alive, its exit code, and a kill that also reaps it."""

    def __init__(self, pid: int):
        self.pid, self.exitcode = pid, None

    def is_alive(self) -> bool:
        if self.exitcode is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def kill(self) -> None:
        if self.is_alive():
            os.kill(self.pid, signal.SIGKILL)
            self.exitcode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


def _stop_message(why: str, limits: GraderLimits) -> str:
    if why == "memory":
        return (f"checking your answers needed more than the graders' memory limit of {limits.memory_mb} MB "
                "(is an answer far larger than the task asks for?), so the remaining checks could not run")
    if why == "cpu":
        return f"checking your answers took more than the graders' CPU time limit of {limits.cpu_seconds} s"
    if why == "wall":
        return f"checking your answers took longer than the submission's time limit of {limits.wall_time:g} s"
    return "the graders' process stopped unexpectedly, so the remaining checks could not run"


_WARMED: set[str] = set()  # grader folders whose imports this process has already paid for


def warm_imports(grader_dir: Path) -> None:
    """Import what the graders import, once per process, so that each forked graders' child inherits it.

    The graders' own modules are imported afresh in every child (pytest collects them there);
    the libraries they use (NumPy, scikit-learn, the graders' helpers) are paid for once per worker.
    """
    key = str(grader_dir)
    if key in _WARMED or not grader_dir.is_dir():
        return
    _WARMED.add(key)
    for path in sorted(grader_dir.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue  # pytest reports it in the child
        for node in tree.body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            for name in names:
                with contextlib.suppress(Exception):
                    importlib.import_module(name)


def run_graders(grader_dir: Path, caller: KernelCaller | None, failure: str | None, seed: int, input_key: str,
                grade_points: dict[str, float], call_timeout: float, limits: GraderLimits) -> GraderRun:
    """Run the hidden graders of ``grader_dir`` in a limited child; serve its calls through ``caller``."""
    verdicts = {gid: CellVerdict(gid, pts) for gid, pts in grade_points.items()}
    if not grade_points and not Path(grader_dir).is_dir():
        return GraderRun(verdicts)  # nothing autograded: no graders needed
    warm_imports(Path(grader_dir))
    ours, theirs = multiprocessing.Pipe()
    # a plain fork, not multiprocessing.Process: dask's worker processes are daemons, which may not have those.
    # The objects inherited from this process are frozen for the child's garbage collector (it never frees them).
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        ours.close()
        _child(theirs, str(grader_dir), failure, seed, input_key, grade_points, call_timeout, limits)
    gc.unfreeze()  # the child never returns from _child
    theirs.close()
    child = _Child(pid)
    collected: list[tuple[str, str, str, float]] = []
    results: dict[str, dict] = {}
    internal: list[str] = []
    stopped, done = None, False
    deadline = time.monotonic() + limits.wall_time
    try:
        while not done and stopped is None:
            if time.monotonic() > deadline:
                stopped = "wall"
                break
            if rss_bytes(child.pid) // 2**20 > limits.memory_mb + 512:  # the limit applies to what the graders add
                stopped = "memory"
                break
            if not ours.poll(0.05):
                if not child.is_alive() and not ours.poll(0):
                    stopped = "cpu" if child.exitcode == -signal.SIGXCPU else "crash"
                continue
            try:
                kind, payload = _receive(ours)
            except (EOFError, OSError, ValueError):
                child.is_alive()
                stopped = "crash" if child.exitcode in (None, 0) else (
                    "cpu" if child.exitcode == -signal.SIGXCPU else "memory")
                break
            if kind == "call":
                request_text, name, timeout = payload
                try:
                    if caller is None:
                        raise StudentCodeError(failure or "the notebook's kernel is not available")
                    _send(ours, "reply", caller.reply(request_text, name, float(timeout)))
                except StudentCodeError as exc:
                    _send(ours, "error", str(exc))
            elif kind == "collected":
                collected = [tuple(item) for item in payload]
            elif kind == "check":
                results[payload["nodeid"]] = payload
                internal += payload["internal_errors"]
            elif kind == "broken":
                raise GraderConfigurationError(payload)
            elif kind == "stopped":
                stopped = payload
            elif kind == "done":
                done = True
    finally:
        child.kill()
        ours.close()
    why = None if done else _stop_message(stopped or "crash", limits)
    for nodeid, grade_id, description, weight in collected:
        result = results.get(nodeid)
        check = Check(description, weight, bool(result and result["passed"]),
                      result["message"] if result else why or "")
        verdicts[grade_id].checks.append(check)
    if why:
        for verdict in verdicts.values():
            if not verdict.checks:
                verdict.checks.append(Check("the hidden checks of this task", 1.0, False, why))
    return GraderRun(verdicts, internal, why)
