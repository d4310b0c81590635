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

from . import channel


class StudentCodeError(Exception):
    """The student's code did not produce a usable answer; the message is for the student."""


class StudentProxy:
    """Calls into a live kernel through a cell runner (the notebook executor)."""

    def __init__(self, run_cell: Callable[[nbformat.NotebookNode, float], None], default_timeout: float = 60.0):
        self._run_cell = run_cell
        self.default_timeout = default_timeout

    def _request(self, request: dict, timeout: float | None) -> Any:
        code = (
            "__import__('course_lib.grading.callee', fromlist=['respond']).respond("
            + repr(channel.dumps(request))
            + ")"
        )
        cell = nbformat.v4.new_code_cell(code)
        self._run_cell(cell, timeout or self.default_timeout)
        reply = _last_reply(cell)
        if reply is None:
            if any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
                raise StudentCodeError(
                    f"`{request['name']}` did not finish within {timeout or self.default_timeout:g} seconds"
                )
            raise StudentCodeError(f"calling `{request['name']}` produced no answer (the kernel may have crashed)")
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
    if isinstance(reply, str):  # some front ends keep JSON mimetypes as text
        try:
            reply = json.loads(reply)
        except json.JSONDecodeError:
            return {"status": "error", "message": "the reply is not valid JSON"}
    return reply


def _interpret(reply: Any, name: str) -> Any:
    if not isinstance(reply, dict) or not isinstance(reply.get("status"), str):
        raise StudentCodeError(f"calling `{name}` gave a reply the grader cannot read")
    status = reply["status"]
    if status == "ok":
        try:
            return channel.from_data(reply.get("result"))
        except channel.ChannelError as exc:
            raise StudentCodeError(f"`{name}` returned something the grader cannot read: {exc}") from None
    message = str(reply.get("message", ""))[:2000]
    if status == "raised":
        raise StudentCodeError(f"`{name}` raised an error: {message}")
    raise StudentCodeError(message or f"calling `{name}` failed")
