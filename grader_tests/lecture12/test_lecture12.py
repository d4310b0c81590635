"""Hidden graders for lecture12: the student's periodic convolution layer against a NumPy reference on secret data."""

import numpy as np
import pytest

from course_lib.grading.checks import as_array, relative_error

TOLERANCE = 1e-4  # the layer computes in float32
KERNEL_TOLERANCE = 1e-3  # zero padding instead of periodic boundaries misses this by a factor of several


def periodic_reference(x, kernel, bias):
    """y[b, i, o] = bias[o] + sum_{k, c} x[b, (i + k - K // 2) mod L, c] kernel[k, c, o]."""
    half = kernel.shape[0] // 2
    shifted = np.stack([np.roll(x, half - k, axis=1) for k in range(kernel.shape[0])], axis=2)  # (b, L, K, c)
    return np.einsum("blkc,kco->blo", shifted, kernel) + bias


def _check(student, rng, batch, length, channels, filters, kernel_size, what):
    x = rng.normal(size=(batch, length, channels))
    kernel = rng.normal(size=(kernel_size, channels, filters))
    bias = rng.normal(size=filters)
    got = as_array(student.call("periodic_conv", x, kernel, bias), "periodic_conv(x, kernel, bias)",
                   (batch, length, filters))
    want = periodic_reference(x, kernel, bias)
    interior = slice(kernel_size // 2, length - kernel_size // 2)
    assert relative_error(got[:, interior], want[:, interior]) < TOLERANCE, (
        f"for {what}, periodic_conv is wrong even away from the edges "
        "(check the bias, the kernel orientation and which sites the kernel sees)"
    )
    assert relative_error(got, want) < TOLERANCE, (
        f"for {what}, periodic_conv is right away from the edges but wrong within kernel_size // 2 sites of them: "
        "the boundaries are not periodic"
    )


@pytest.mark.grade_cell("periodic_conv", weight=2)
def test_single_channel(student, rng):
    """one input and one output channel, kernel sizes 3 and 5"""
    for kernel_size in (3, 5):
        _check(student, rng, batch=3, length=int(rng.integers(10, 30)), channels=1, filters=1,
               kernel_size=kernel_size, what=f"one channel and kernel size {kernel_size}")


@pytest.mark.grade_cell("periodic_conv", weight=2)
def test_several_channels(student, rng):
    """several input and output channels, a kernel of size 7 and a short ring"""
    _check(student, rng, batch=2, length=int(rng.integers(12, 40)), channels=3, filters=4, kernel_size=7,
           what="3 input channels, 4 output channels and kernel size 7")
    _check(student, rng, batch=4, length=9, channels=2, filters=2, kernel_size=3,
           what="2 channels on a ring of 9 sites")


@pytest.mark.grade_cell("learn_kernel", weight=2)
def test_learned_kernel(student, rng):
    """learn_kernel recovers a secret kernel of size 5 and its bias from input/output pairs"""
    kernel, bias = rng.normal(size=(5, 1, 1)), rng.normal(size=1)
    x = rng.normal(size=(100, 16, 1))
    y = periodic_reference(x, kernel, bias)
    result = student.call("learn_kernel", x, y, 5, timeout=120)
    assert isinstance(result, (list, tuple)) and len(result) == 2, "learn_kernel must return a pair (kernel, bias)"
    learned = as_array(result[0], "the learned kernel", (5, 1, 1))
    learned_bias = as_array(result[1], "the learned bias", (1,))
    assert relative_error(learned, kernel) < KERNEL_TOLERANCE, "the learned kernel is not the one that made the data"
    assert abs(learned_bias[0] - bias[0]) < KERNEL_TOLERANCE * np.max(np.abs(kernel)), (
        "the learned kernel is right but the learned bias is not"
    )
