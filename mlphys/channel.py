"""The data-only channel between a trusted grader and a student's kernel.

Everything that crosses it is JSON. NumPy arrays travel as ``.npy`` bytes (base64) and
are read back with ``allow_pickle=False``; object arrays, pickles and arbitrary Python
objects are refused. Both sides use this module, so the student's kernel can only ever
hand the grader numbers, strings, lists and dicts.
"""

from __future__ import annotations

import base64
import io
import json
import math
from typing import Any

import numpy as np

RESULT_MIME = "application/x.course-grading-result+json"
MAX_PAYLOAD_CHARS = 64 * 1024 * 1024
MAX_DEPTH = 32


class ChannelError(ValueError):
    """A value that cannot travel as plain data, with a message a student can act on."""


def _encode_array(array: np.ndarray) -> dict:
    if array.dtype.hasobject or array.dtype.kind not in "biufcSU":
        raise ChannelError(f"an array of dtype {array.dtype} cannot be sent; use numbers")
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return {"__ndarray__": base64.b64encode(buffer.getvalue()).decode("ascii")}


def _decode_array(payload: str) -> np.ndarray:
    try:
        raw = base64.b64decode(payload.encode("ascii"), validate=True)
        return np.load(io.BytesIO(raw), allow_pickle=False)
    except Exception as exc:  # malformed bytes from an untrusted side
        raise ChannelError(f"an array in the reply is not a valid .npy payload ({type(exc).__name__})") from None


def to_data(value: Any, depth: int = 0) -> Any:
    """Turn a Python value into JSON-safe data, or raise ChannelError naming what is wrong."""
    if depth > MAX_DEPTH:
        raise ChannelError("the value is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, (list, tuple)):
        return {"__tuple__": [to_data(v, depth + 1) for v in value]} if isinstance(value, tuple) else [
            to_data(v, depth + 1) for v in value
        ]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ChannelError("dictionaries must have string keys")
        return {"__dict__": {k: to_data(v, depth + 1) for k, v in value.items()}}
    raise ChannelError(f"a value of type {type(value).__name__} cannot be sent as data")


def from_data(data: Any, depth: int = 0) -> Any:
    """Inverse of ``to_data``; validates shape of the JSON so forged payloads fail cleanly."""
    if depth > MAX_DEPTH:
        raise ChannelError("the value is nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_data(v, depth + 1) for v in data]
    if isinstance(data, dict) and len(data) == 1:
        (tag, inner), = data.items()
        if tag == "__ndarray__" and isinstance(inner, str):
            return _decode_array(inner)
        if tag == "__float__" and inner in ("nan", "inf", "-inf"):
            return float(inner)
        if tag == "__tuple__" and isinstance(inner, list):
            return tuple(from_data(v, depth + 1) for v in inner)
        if tag == "__dict__" and isinstance(inner, dict):
            return {str(k): from_data(v, depth + 1) for k, v in inner.items()}
    raise ChannelError("the reply is not in the grading channel's data format")


def dumps(value: Any) -> str:
    text = json.dumps(to_data(value), allow_nan=False)
    if len(text) > MAX_PAYLOAD_CHARS:
        raise ChannelError("the value is larger than the grading channel accepts")
    return text


def loads(text: str) -> Any:
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_CHARS:
        raise ChannelError("the reply is larger than the grading channel accepts")
    try:
        return from_data(json.loads(text))
    except json.JSONDecodeError:
        raise ChannelError("the reply is not valid JSON") from None
