"""Data generators for the lecture 1 and 2 homework.

Every generator takes a ``numpy.random.Generator`` so that notebooks are reproducible
and graders can draw the same kind of data from their own secret seed.
"""

from __future__ import annotations

import numpy as np


def plane_points(rng: np.random.Generator, n: int, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """Points (y1, y2) drawn uniformly from a square, shape (n, 2): inputs for the XOR task."""
    return rng.uniform(low, high, size=(n, 2))


def grid_points(n: int = 101, low: float = -1.0, high: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regular grid as a batch (n*n, 2) plus the meshgrid arrays, for imshow plots of a 2D network."""
    y1, y2 = np.meshgrid(np.linspace(low, high, n), np.linspace(low, high, n))
    return np.stack([y1.ravel(), y2.ravel()], axis=1), y1, y2


def xor_target(y: np.ndarray) -> np.ndarray:
    """The lecture-1 XOR rule: 1 where y1*y2 < 0, else 0, shape (n, 1)."""
    y = np.asarray(y, dtype=float)
    return (y[:, 0] * y[:, 1] < 0).astype(float)[:, None]


def wiggly_curve(x: np.ndarray, frequency: float = 3.0) -> np.ndarray:
    """The curve-fitting target: a sine whose frequency the fit must find."""
    return np.sin(frequency * np.asarray(x, dtype=float))


def curve_samples(
    rng: np.random.Generator, n: int, frequency: float = 3.0, noise: float = 0.0, x_range: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """n samples x ~ U(-x_range, x_range) of the wiggly curve, with optional Gaussian noise on y."""
    x = rng.uniform(-x_range, x_range, size=n)
    y = wiggly_curve(x, frequency) + noise * rng.normal(size=n)
    return x, y


def gaussian_batches(rng: np.random.Generator, steps: int, batchsize: int, sigma: float = 1.0) -> np.ndarray:
    """x_j samples for the SGD slope analysis: one row of ``batchsize`` Gaussian draws per step."""
    return rng.normal(0.0, sigma, size=(steps, batchsize))
