"""Result records are strict JSON and carry what a replay needs."""

import json
import math

import numpy as np
import pytest

from mlphys.challenges.results import AutoencoderResult, MazeResult, mean_and_stderr


def test_mean_and_stderr():
    assert mean_and_stderr([]) == (None, None)
    assert mean_and_stderr([2.0]) == (2.0, None)
    mean, stderr = mean_and_stderr([1.0, 2.0, 3.0])
    assert mean == 2.0 and stderr == pytest.approx(1.0 / math.sqrt(3))


def test_records_serialise_numpy_values_and_refuse_nan():
    record = MazeResult(seed=np.int64(3), returns=list(np.array([1, 2])), score=np.float64(1.5))
    data = json.loads(record.to_json())
    assert data["returns"] == [1, 2] and data["seed"] == 3 and data["challenge"] == "maze"
    versions = data["reproducibility"]
    assert {"platform_version", "python", "numpy", "tensorflow", "keras", "networkx"} <= set(versions)
    assert versions["numpy"] == np.__version__ and "not installed" not in versions.values()
    with pytest.raises(ValueError):
        AutoencoderResult(score=float("nan")).to_json()


def test_reject_clears_the_score_but_keeps_what_was_measured():
    record = AutoencoderResult(score=0.1, score_stderr=0.01, bottleneck=9, variants=["MEDIUM"])
    record.reject("bad", "nan_cost")
    data = record.to_dict()
    assert data["accepted"] is False and data["message"] == "bad" and data["rejection_reason"] == "nan_cost"
    assert data["score"] is None and data["bottleneck"] == 9
