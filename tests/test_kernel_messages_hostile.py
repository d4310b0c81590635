"""Property tests: what a student's kernel sends is decoded without an exception and within bounds.

``bounded_unpack`` reads every frame of every kernel message; ``channel`` and the proxy's
``_interpret`` read every grader reply. On random and hostile input both must answer with data
or with their own clean error, never raise anything else, and never hold much more memory than
the input itself.
"""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlphys import channel
from course_lib.grading.student import StudentCodeError, _interpret
from course_lib.sandbox.messages import MAX_DEPTH, UNREADABLE, bounded_unpack, unreadable_reason

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=60,
)


def _nested(depth: int, opener: str = "[", closer: str = "]", core: str = "1") -> bytes:
    return (opener * depth + core + closer * depth).encode()


hostile_frames = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda d: _nested(d), st.integers(60, 20_000)),
    st.builds(lambda d: _nested(d, '{"a":', "}"), st.integers(60, 20_000)),
    st.builds(lambda n: b'{"n": ' + b"9" * n + b"}", st.integers(300, 200_000)),
    st.builds(lambda v: json.dumps(v, allow_nan=True).encode(), json_values),
    st.sampled_from([b"", b"null", b"[]", b'"x"', b"{", b'{"a": NaN}', b'{"a": 1e999999}', b"\xff\xfe", b'{"\\ud800": 1}']),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_frames)
def test_bounded_unpack_never_raises_and_returns_an_object(frame):
    value = bounded_unpack(frame)
    assert isinstance(value, dict)
    if UNREADABLE not in value:
        assert json.dumps(value, default=str)  # usable downstream: no recursion, no overlong ints


@settings(max_examples=100, deadline=None)
@given(st.integers(MAX_DEPTH + 1, 5000))
def test_deep_frames_are_refused_with_a_reason(depth):
    value = bounded_unpack(b'{"data": ' + _nested(depth) + b"}")
    assert "nested" in value[UNREADABLE]


def test_an_unreadable_frame_marks_the_whole_message():
    msg = {"header": bounded_unpack(b"{"), "parent_header": {}, "metadata": {}, "content": {}, "msg_type": "x"}
    reason, oversize = unreadable_reason(msg)
    assert "not valid JSON" in reason and not oversize


def test_a_huge_frame_is_not_decoded():
    frame = b'{"a": "' + b"x" * (49 * 2**20) + b'"}'
    tracemalloc.start()
    value = bounded_unpack(frame)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert value[UNREADABLE].startswith("a message of 49 MB")
    assert peak < 2**20


replies = st.one_of(
    json_values,
    st.builds(lambda v: {"status": "ok", "result": v}, json_values),
    st.builds(lambda t, v: {"status": "ok", "result": {t: v}}, st.sampled_from(["__ndarray__", "__float__", "__tuple__", "__dict__"]), json_values),
    st.builds(lambda b: {"status": "ok", "result": {"__ndarray__": b}}, st.text(max_size=200)),
    st.builds(lambda s, m: {"status": s, "message": m}, st.text(max_size=10), json_values),
    st.text(max_size=200),
)


@settings(max_examples=400, deadline=None)
@given(replies)
def test_interpreting_any_reply_gives_data_or_a_student_facing_error(reply):
    try:
        _interpret(reply, "f")
    except StudentCodeError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize("depth", [40, 500, 5000])
def test_deeply_nested_replies_are_refused_cleanly(depth):
    value = {"status": "ok", "result": json.loads("[" * depth + "]" * depth) if depth < 900 else None}
    if depth >= 900:
        value["result"] = current = []
        for _ in range(depth):
            current.append([])
            current = current[0]
    with pytest.raises(StudentCodeError, match="cannot read"):
        _interpret(value, "f")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_channel_loads_never_raises_anything_but_channel_errors(text):
    try:
        channel.loads(text)
    except channel.ChannelError:
        pass
