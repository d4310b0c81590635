"""The data channel carries plain data only and refuses everything else with a clear message."""

import base64
import io
import json
import pickle

import numpy as np
import pytest

from mlphys import channel


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        -2.5,
        "text",
        [1, 2.0, "x"],
        (1, (2, 3)),
        {"a": [1, 2], "b": {"c": None}},
        np.arange(12.0).reshape(3, 4),
        np.array([1, 2, 3], dtype=np.int8),
        np.array([True, False]),
    ],
)
def test_round_trip_preserves_values(value):
    back = channel.loads(channel.dumps(value))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    else:
        assert back == value


def test_non_finite_floats_survive():
    back = channel.loads(channel.dumps([float("nan"), float("inf"), -float("inf")]))
    assert np.isnan(back[0]) and back[1] == float("inf") and back[2] == -float("inf")


def test_numpy_scalars_become_python_numbers():
    assert channel.loads(channel.dumps(np.float32(1.5))) == 1.5
    assert channel.loads(channel.dumps(np.int64(7))) == 7


@pytest.mark.parametrize("value", [np.array([object()], dtype=object), object(), {1: 2}, lambda: 0])
def test_refuses_values_that_are_not_plain_data(value):
    with pytest.raises(channel.ChannelError):
        channel.dumps(value)


def test_a_pickled_array_payload_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    forged = json.dumps({"__ndarray__": base64.b64encode(buffer.getvalue()).decode()})
    with pytest.raises(channel.ChannelError, match="not a valid .npy"):
        channel.loads(forged)


def test_a_raw_pickle_is_refused():
    forged = json.dumps({"__ndarray__": base64.b64encode(pickle.dumps([1, 2])).decode()})
    with pytest.raises(channel.ChannelError):
        channel.loads(forged)


@pytest.mark.parametrize("text", ["not json", json.dumps({"__evil__": 1}), json.dumps({"a": 1, "b": 2})])
def test_forged_replies_fail_cleanly(text):
    with pytest.raises(channel.ChannelError):
        channel.loads(text)


def test_oversized_payload_is_refused(monkeypatch):
    monkeypatch.setattr(channel, "MAX_PAYLOAD_CHARS", 1000)
    with pytest.raises(channel.ChannelError, match="larger"):
        channel.dumps(np.zeros(1000))
