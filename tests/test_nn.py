"""The lecture reference network: forward pass conventions and backpropagation."""

import numpy as np
import pytest

from course_lib import data, nn


def test_apply_net_batches_layers_in_order():
    rng = np.random.default_rng(0)
    ws, bs = nn.random_network([2, 5, 3, 1], rng)
    y = rng.normal(size=(7, 2))
    manual = nn.sigmoid.f(nn.sigmoid.f(nn.sigmoid.f(y @ ws[0] + bs[0]) @ ws[1] + bs[1]) @ ws[2] + bs[2])
    assert np.allclose(nn.apply_net(y, ws, bs), manual)
    assert nn.apply_net(y, ws, bs).shape == (7, 1)


def test_apply_net_rejects_mismatched_lists():
    with pytest.raises(ValueError, match="equally many"):
        nn.apply_net(np.zeros((1, 2)), [np.zeros((2, 1))], [], "sigmoid")


def test_unknown_activation_is_named():
    with pytest.raises(ValueError, match="softplus"):
        nn.activation("softplus")


@pytest.mark.parametrize("act", ["sigmoid", "linear"])
def test_backprop_matches_finite_differences(act):
    rng = np.random.default_rng(1)
    ws, bs = nn.random_network([3, 4, 2], rng, weight_spread=0.5)
    y_in, y_target = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    dw, db = nn.backprop(y_in, y_target, ws, bs, act)
    num_w, num_b = nn.numerical_gradients(lambda w, b: nn.cost(nn.apply_net(y_in, w, b, act), y_target), ws, bs)
    for a, b in zip(dw + db, num_w + num_b):
        assert np.allclose(a, b, atol=1e-7)


def test_xor_target_follows_sign_rule():
    points = np.array([[0.5, -0.5], [-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5]])
    assert data.xor_target(points).ravel().tolist() == [1.0, 1.0, 0.0, 0.0]
