"""Circle images as the challenge defines them."""

import numpy as np

from mlphys.challenges.circles import GRID_X, GRID_Y, CircleParameters, draw_circle_parameters, generate_circles, render_circles


def test_shape_dtype_and_binary_values():
    images = generate_circles(np.random.default_rng(0), 64)
    assert images.shape == (64, 27, 27, 1) and images.dtype == np.float32
    assert set(np.unique(images)) <= {0.0, 1.0}


def test_pixel_rule_on_the_grid():
    params = CircleParameters(np.array([0.5]), np.array([0.2]), np.array([-0.3]))
    image = render_circles(params)[0, :, :, 0]
    expected = 1.0 * ((GRID_X - 0.2) ** 2 + (GRID_Y + 0.3) ** 2 < 0.25)
    np.testing.assert_array_equal(image, expected)
    assert GRID_X[0, 0] == -1 and GRID_X[0, -1] == 1 and GRID_Y[-1, 0] == 1  # x along columns


def test_parameter_ranges():
    params = draw_circle_parameters(np.random.default_rng(1), 20_000)
    assert 0 <= params.radius.min() and params.radius.max() < 1
    for centre in (params.x0, params.y0):
        assert -1 <= centre.min() and centre.max() < 1
        assert abs(centre.mean()) < 0.02
    assert abs(params.radius.mean() - 0.5) < 0.01


def test_rendering_in_chunks_equals_rendering_at_once():
    params = draw_circle_parameters(np.random.default_rng(2), 100)
    np.testing.assert_array_equal(render_circles(params), np.concatenate([render_circles(params[:37]), render_circles(params[37:])]))


def test_fast_rendering_equals_the_definition_on_the_full_grid():
    params = draw_circle_parameters(np.random.default_rng(3), 2000)
    direct = 1.0 * (
        (GRID_X[None] - params.x0[:, None, None]) ** 2 + (GRID_Y[None] - params.y0[:, None, None]) ** 2
        < params.radius[:, None, None] ** 2
    )
    np.testing.assert_array_equal(render_circles(params)[..., 0], direct)
