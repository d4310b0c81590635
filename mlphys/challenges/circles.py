"""Circle images of the Grand Autoencoder Challenge.

Each image is 27x27 pixels on the grid ``x, y = meshgrid(linspace(-1, 1, 27), linspace(-1, 1, 27))``
holding ``1.0 * ((x - x0)**2 + (y - y0)**2 < R**2)`` with ``R ~ U(0, 1)`` and ``x0, y0 ~ U(-1, 1)``.

Drawing the parameters and rasterising them are separate steps so that a scorer can draw the
parameters of a whole training run at once (cheap, and independent of how the images are later
chunked) and rasterise only the batches it is about to train on.
"""

from dataclasses import dataclass

import numpy as np

IMAGE_SIZE = 27
IMAGE_SHAPE = (IMAGE_SIZE, IMAGE_SIZE, 1)

_AXIS = np.linspace(-1.0, 1.0, IMAGE_SIZE)
GRID_X, GRID_Y = np.meshgrid(_AXIS, _AXIS)
_RENDER_BLOCK = 512


@dataclass(frozen=True)
class CircleParameters:
    """Radius and centre of each circle; arrays of equal length."""

    radius: np.ndarray
    x0: np.ndarray
    y0: np.ndarray

    def __len__(self) -> int:
        return len(self.radius)

    def __getitem__(self, index: slice) -> "CircleParameters":
        return CircleParameters(self.radius[index], self.x0[index], self.y0[index])


def draw_circle_parameters(rng: np.random.Generator, count: int) -> CircleParameters:
    """Draw `count` circles: all radii first, then all x0, then all y0."""
    radius = rng.uniform(0.0, 1.0, count)
    x0 = rng.uniform(-1.0, 1.0, count)
    y0 = rng.uniform(-1.0, 1.0, count)
    return CircleParameters(radius, x0, y0)


def render_circles(params: CircleParameters) -> np.ndarray:
    """Rasterise circles into float32 images of shape (count, 27, 27, 1).

    (x - x0)**2 depends on the column only and (y - y0)**2 on the row only, so both are computed
    on the 27 grid values and broadcast: the same float64 numbers as on the full grid, a
    fraction of the work. Blocks of images keep the float64 temporaries in cache.
    """
    count = len(params)
    images = np.empty((count, IMAGE_SIZE, IMAGE_SIZE, 1), dtype=np.float32)
    dx2 = (_AXIS[None, :] - params.x0[:, None]) ** 2  # (count, columns)
    dy2 = (_AXIS[None, :] - params.y0[:, None]) ** 2  # (count, rows)
    r2 = (params.radius**2)[:, None, None]
    squared_distance = np.empty((_RENDER_BLOCK, IMAGE_SIZE, IMAGE_SIZE))
    inside = np.empty((_RENDER_BLOCK, IMAGE_SIZE, IMAGE_SIZE), dtype=bool)
    for first in range(0, count, _RENDER_BLOCK):
        last = min(first + _RENDER_BLOCK, count)
        size = last - first
        np.add(dy2[first:last, :, None], dx2[first:last, None, :], out=squared_distance[:size])
        np.less(squared_distance[:size], r2[first:last], out=inside[:size])
        images[first:last, :, :, 0] = inside[:size]
    return images


def generate_circles(rng: np.random.Generator, count: int) -> np.ndarray:
    """Fresh circle images of shape (count, 27, 27, 1), as the network sees them."""
    return render_circles(draw_circle_parameters(rng, count))
