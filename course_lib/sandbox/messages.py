"""Decoding the student kernel's Jupyter messages without letting them exhaust or crash the grader.

Every frame of every message a sandboxed kernel sends is student-controlled bytes. The
trusted process decodes them with ``bounded_unpack`` in place of jupyter_client's plain
``json.loads``: a frame that is too large, nested too deeply, holds an integer too long to
convert, or is not a JSON object becomes a small stand-in that names the problem, and the
message is then dropped with a note instead of raising inside nbclient.
"""

from __future__ import annotations

import json

UNREADABLE = "__course_unreadable__"
OVERSIZE = "__course_oversize__"
UNREADABLE_TYPE = "course_unreadable"
MAX_FRAME_BYTES = 48 * 2**20  # one frame: a grader's answer (the channel's limit) plus JSON overhead
# Larger messages are refused by ZeroMQ before they are read (it then drops the connection, so
# the kernel is as good as lost); between the two limits a message is read, then dropped unread.
MAX_SOCKET_MESSAGE = 160 * 2**20
MAX_DEPTH = 64
MAX_INT_DIGITS = 400


def _integer(text: str) -> int | str:
    return int(text) if len(text) <= MAX_INT_DIGITS else f"[an integer of {len(text)} digits]"


def _too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests lists/dicts deeper than ``limit`` (iterative: no recursion on hostile data)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


def stand_in(why: str, oversize: bool = False) -> dict:
    """What an unreadable frame decodes to: enough of a header for jupyter_client, and the reason."""
    return {"msg_id": "", "msg_type": UNREADABLE_TYPE, "session": "", "username": "", "version": "5.3",
            UNREADABLE: why, OVERSIZE: oversize}


def bounded_unpack(data: bytes | memoryview | str) -> dict:
    """``json.loads`` for one message frame, bounded in size, depth and integer length; never raises."""
    size = len(data)
    if size > MAX_FRAME_BYTES:
        return stand_in(f"a message of {size / 2**20:.0f} MB (the limit is {MAX_FRAME_BYTES // 2**20} MB)", oversize=True)
    try:
        value = json.loads(bytes(data) if isinstance(data, memoryview) else data, parse_int=_integer)
    except RecursionError:
        return stand_in(f"a message nested more than {MAX_DEPTH} levels deep")
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        return stand_in(f"a message that is not valid JSON ({type(exc).__name__})")
    if not isinstance(value, dict):
        return stand_in("a message frame that is not a JSON object")
    if _too_deep(value):
        return stand_in(f"a message nested more than {MAX_DEPTH} levels deep")
    return value


def unreadable_reason(msg: dict) -> tuple[str, bool] | None:
    """(why, whether for its size) if a decoded message cannot be used; None if it looks like a Jupyter message."""
    for part in ("header", "parent_header", "metadata", "content"):
        frame = msg.get(part)
        if not isinstance(frame, dict):
            return f"a message whose {part} is not a JSON object", False
        if UNREADABLE in frame:
            return str(frame[UNREADABLE]), bool(frame.get(OVERSIZE))
    if not isinstance(msg.get("msg_type"), str):
        return "a message without a message type", False
    return None
