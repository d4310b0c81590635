"""Kernel side of the grading channel: answer one call with plain data.

The trusted grader executes ``respond(request)`` in the student's kernel after the
notebook has run. It looks up a name in the notebook's namespace, calls it with the
decoded inputs, and publishes the encoded result as one display message. Nothing here
is trusted: a student may replace this module, and the grader still receives only data.
"""

from __future__ import annotations

import traceback

from IPython import get_ipython
from IPython.display import publish_display_data

from . import channel


def _namespace() -> dict:
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _short_traceback(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()[-2000:]


def _answer(request: dict) -> dict:
    namespace = _namespace()
    name = request["name"]
    if name not in namespace:
        return {"status": "missing", "message": f"`{name}` is not defined at the end of the notebook"}
    target = namespace[name]
    if request["kind"] == "value":
        return {"status": "ok", "result": channel.to_data(target)}
    if not callable(target):
        return {"status": "error", "message": f"`{name}` is not a function"}
    args, kwargs = request["args"], request["kwargs"]
    try:
        result = target(*args, **kwargs)
    except Exception as exc:  # the student's function failed: report it as data
        return {"status": "raised", "message": _short_traceback(exc)}
    return {"status": "ok", "result": channel.to_data(result)}


def respond(request_text: str) -> None:
    """Handle one request (JSON text) and publish exactly one result message."""
    try:
        request = channel.loads(request_text)
        reply = _answer(request)
    except channel.ChannelError as exc:
        reply = {"status": "error", "message": str(exc)}
    publish_display_data({channel.RESULT_MIME: reply})
