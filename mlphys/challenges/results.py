"""Result records of scored entries, ready to store as JSON.

A record holds the verdict (`accepted`, `message`), the board numbers with their standard
errors, and what is needed to replay the run: platform and library versions, the seed, the
per-batch costs or per-episode returns, and the wall time.
"""

import dataclasses
import json
import math
import platform
import sys
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np


def mean_and_stderr(values) -> tuple[float | None, float | None]:
    """Mean and standard error of the mean (None where it is undefined)."""
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return None, None
    mean = float(data.mean())
    if data.size < 2:
        return mean, None
    return mean, float(data.std(ddof=1) / math.sqrt(data.size))


# Library -> the distributions that may provide it (the CPU build of TensorFlow has its own name).
_SCORING_LIBRARIES = {
    "numpy": ("numpy",),
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
    "keras": ("keras",),
    "networkx": ("networkx",),
}


def reproducibility_info() -> dict[str, str]:
    """Versions of the platform and of every library that can change a score.

    Read from the installed package metadata, so a record rejected before TensorFlow was ever
    imported still names the versions a replay needs.
    """
    from mlphys import __version__

    versions = {
        "platform_version": __version__,
        "python": sys.version.split()[0],
        "machine": platform.platform(),
    }
    for library, distributions in _SCORING_LIBRARIES.items():
        versions[library] = _installed_version(distributions)
    return versions


def _installed_version(distributions) -> str:
    for distribution in distributions:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


@dataclass(kw_only=True)
class ChallengeResult:
    """Fields common to both challenges."""

    challenge: str
    accepted: bool = False
    message: str = ""
    rejection_reason: str | None = None
    score: float | None = None
    score_stderr: float | None = None
    parameters: int | None = None
    seed: int | None = None
    wall_time_s: float | None = None
    reproducibility: dict[str, str] = field(default_factory=reproducibility_info)

    def reject(self, message: str, reason: str) -> None:
        """Mark the entry rejected; numbers computed so far stay for the student to see."""
        self.accepted = False
        self.message = message
        self.rejection_reason = reason
        self.score = None
        self.score_stderr = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(dataclasses.asdict(self))

    def to_json(self, **kwargs) -> str:
        """Strict JSON: a non-finite number would be a bug, so it raises instead of writing NaN."""
        return json.dumps(self.to_dict(), allow_nan=False, **kwargs)


@dataclass(kw_only=True)
class AutoencoderResult(ChallengeResult):
    """One autoencoder entry: score = mean over runs of the last-50-batch cost."""

    challenge: str = "autoencoder"
    training: str | None = None
    batchsize: int | None = None
    images: int | None = None
    steps: int | None = None
    bottleneck: int | None = None
    bottleneck_layers: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    heldout_cost: float | None = None
    heldout_cost_stderr: float | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)


@dataclass(kw_only=True)
class MazeResult(ChallengeResult):
    """One maze entry: score = mean return over the episodes."""

    challenge: str = "maze"
    output_kind: str | None = None
    episodes: int | None = None
    returns: list[int] = field(default_factory=list)


def _plain(value):
    """NumPy scalars and arrays to plain Python, so `json` accepts them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value
