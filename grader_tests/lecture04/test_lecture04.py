"""Hidden graders for lecture04: the student's circle-to-square network on images drawn here from the secret seed.

The error must be well below that of the trivial answers (the unchanged input, an empty image).
"""

import numpy as np
import pytest

from course_lib.grading.checks import as_array

IMAGE_SIZE = 24
SAMPLES = 300
REQUIRED_RATIO = 0.4  # the student's error / the smaller trivial error


def make_circles_and_squares(rng, n, max_shapes=3):
    """The notebook's generator: images with random circles, and the squares in their place."""
    yy, xx = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE] + 0.5
    circles = np.zeros((n, IMAGE_SIZE, IMAGE_SIZE))
    squares = np.zeros((n, IMAGE_SIZE, IMAGE_SIZE))
    for k in range(max_shapes):
        present = rng.uniform(size=(n, 1, 1)) < (1.0 if k == 0 else 0.6)
        r = rng.uniform(1.5, 3.5, size=(n, 1, 1))
        cx, cy = rng.uniform(r, IMAGE_SIZE - r), rng.uniform(r, IMAGE_SIZE - r)
        circles = np.maximum(circles, present * ((xx - cx) ** 2 + (yy - cy) ** 2 <= r**2))
        squares = np.maximum(squares, present * ((np.abs(xx - cx) <= r) & (np.abs(yy - cy) <= r)))
    return circles, squares


def _output(student, circles):
    shape = (len(circles), IMAGE_SIZE, IMAGE_SIZE)
    return as_array(student.call("circles_to_squares", circles), "circles_to_squares(images)", shape)


def _error_ratio(student, circles, squares):
    error = np.mean((_output(student, circles) - squares) ** 2)
    trivial = min(np.mean((circles - squares) ** 2), np.mean(squares**2))
    return error / trivial


@pytest.mark.grade_cell("circles_to_squares", weight=1)
def test_output_is_an_image_per_input(student, rng):
    """circles_to_squares returns one 24 x 24 image with values in [0, 1] per input image"""
    circles, _ = make_circles_and_squares(rng, 5)
    output = _output(student, circles)
    assert output.min() >= -0.01 and output.max() <= 1.01, "the output images must have values between 0 and 1"


@pytest.mark.grade_cell("circles_to_squares", weight=3)
def test_beats_trivial_answers(student, rng):
    """on new images the error is below 40 % of the error of the unchanged input or an empty image"""
    circles, squares = make_circles_and_squares(rng, SAMPLES)
    ratio = _error_ratio(student, circles, squares)
    assert ratio < REQUIRED_RATIO, (
        f"the error on new images is {ratio:.0%} of the smaller trivial error "
        f"(unchanged input or empty image); it must be below {REQUIRED_RATIO:.0%}"
    )


@pytest.mark.grade_cell("circles_to_squares", weight=1)
def test_images_with_a_single_circle(student, rng):
    """also for images with a single circle each, the error stays below 40 % of the trivial one"""
    circles, squares = make_circles_and_squares(rng, SAMPLES // 2, max_shapes=1)
    ratio = _error_ratio(student, circles, squares)
    assert ratio < REQUIRED_RATIO, (
        f"for images with a single circle the error is {ratio:.0%} of the smaller trivial error; "
        f"it must be below {REQUIRED_RATIO:.0%}"
    )
