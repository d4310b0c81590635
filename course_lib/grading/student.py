"""Trusted-side proxy for the student's kernel, handed to hidden graders as ``student``.

A grader calls ``student.call("name", inputs...)``; the proxy sends the inputs through
the data channel, runs the call in the kernel that executed the notebook, and returns
the decoded result. It never sends paths, seeds or expected values, and it never
evaluates anything that comes back: replies are decoded as data and nothing else.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import nbformat

from mlphys import channel


class StudentCodeError(Exception):
    """The student's code did not produce a usable answer; the message is for the student."""


class KernelCaller:
    """Trusted side, in the process that holds the kernel: runs one call cell and returns the raw reply.

    The reply is left undecoded: the graders' own process (see ``isolation``) turns it into
    data, within its memory limits.
    """

    def __init__(self, run_cell: Callable[[nbformat.NotebookNode, float], None]):
        self._run_cell = run_cell

    def reply(self, request_text: str, name: str, timeout: float) -> Any:
        code = "__import__('mlphys.callee', fromlist=['respond']).respond(" + repr(request_text) + ")"
        cell = nbformat.v4.new_code_cell(code)
        self._run_cell(cell, timeout)
        reply = _last_reply(cell)
        if reply is None:
            if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
                raise StudentCodeError(f"`{name}` did not finish within {timeout:g} seconds")
            raise StudentCodeError(f"calling `{name}` produced no answer (the kernel may have crashed)")
        return reply


class StudentProxy:
    """What a hidden grader gets as ``student``: calls go out as data, replies come back as data."""

    def __init__(self, transport: Callable[[str, str, float], Any], default_timeout: float = 60.0):
        self._transport = transport  # (request text, name, timeout) -> raw reply, or StudentCodeError
        self.default_timeout = default_timeout

    def _request(self, request: dict, timeout: float | None) -> Any:
        reply = self._transport(channel.dumps(request), request["name"], timeout or self.default_timeout)
        return _interpret(reply, request["name"])

    def call(self, name: str, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Call the student's function ``name`` on the given inputs and return its result as data."""
        return self._request({"name": name, "kind": "call", "args": list(args), "kwargs": dict(kwargs)}, timeout)

    def value(self, name: str, timeout: float | None = None) -> Any:
        """Read a variable the notebook defined, as data."""
        return self._request({"name": name, "kind": "value", "args": [], "kwargs": {}}, timeout)


class UnavailableStudent:
    """Stands in when the notebook's kernel is gone; every call fails with the reason."""

    def __init__(self, reason: str):
        self.reason = reason

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        raise StudentCodeError(self.reason)

    value = call


def _last_reply(cell: nbformat.NotebookNode) -> dict | None:
    reply = None
    for output in cell.outputs:
        data = output.get("data", {}) if output.get("output_type") == "display_data" else {}
        if channel.RESULT_MIME in data:
            reply = data[channel.RESULT_MIME]
    return reply


def quoted(message: Any, limit: int = 300) -> str:
    """A student-written text as one quoted line: no line breaks, no control characters, shortened."""
    text = " ".join(str(message).split())
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return repr(text[:limit] + ("..." if len(text) > limit else ""))


def _interpret(reply: Any, name: str) -> Any:
    if isinstance(reply, str):  # some front ends keep JSON mimetypes as text
        if len(reply) > channel.MAX_PAYLOAD_CHARS:
            raise StudentCodeError(f"`{name}` returned more data than the grading channel accepts")
        try:
            reply = json.loads(reply)
        except (ValueError, RecursionError):
            raise StudentCodeError(f"calling `{name}` gave a reply the grader cannot read") from None
    if not isinstance(reply, dict) or not isinstance(reply.get("status"), str):
        raise StudentCodeError(f"calling `{name}` gave a reply the grader cannot read")
    status = reply["status"]
    if status == "ok":
        try:
            return channel.from_data(reply.get("result"))
        except (channel.ChannelError, RecursionError) as exc:
            why = exc if isinstance(exc, channel.ChannelError) else "it is nested too deeply"
            raise StudentCodeError(f"`{name}` returned something the grader cannot read: {why}") from None
    message = reply.get("message", "")
    if status == "raised":
        raise StudentCodeError(f"`{name}` raised an error in your code: {quoted(message)}")
    if status == "missing":
        raise StudentCodeError(f"`{name}` is not defined at the end of the notebook")
    if status == "error" and message:
        raise StudentCodeError(f"calling `{name}` failed: {quoted(message)}")
    raise StudentCodeError(f"calling `{name}` failed")
