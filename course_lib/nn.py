"""Lecture 1 and 2 reference code: a batched NumPy network and backpropagation.

This is the code the lectures show and the notebooks hand out as given code, written
once so that notebooks, graders and the demo agree on conventions:

* a batch of inputs has shape ``(batchsize, n_in)``;
* a weight matrix maps layer n-1 to layer n and has shape ``(n_in, n_out)``, so
  ``z = y @ w + b``;
* the cost for a batch is ``C = 1/2 * mean_over_batch sum_j (y_out_j - y_target_j)**2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    """A nonlinearity together with its derivative, as backpropagation needs both."""

    name: str
    f: Callable[[Array], Array]
    df: Callable[[Array], Array]


def _sigmoid(z: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_derivative(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 - s)


sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_derivative)
relu = Activation("relu", lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float))
linear = Activation("linear", lambda z: z, lambda z: np.ones_like(z))
step = Activation("step", lambda z: (z > 0).astype(float), lambda z: np.zeros_like(z))

ACTIVATIONS = {a.name: a for a in (sigmoid, relu, linear, step)}


def activation(name_or_activation: str | Activation) -> Activation:
    """Accept either an Activation or its name, so notebooks can write 'sigmoid'."""
    if isinstance(name_or_activation, Activation):
        return name_or_activation
    try:
        return ACTIVATIONS[name_or_activation]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name_or_activation!r}; choose one of {known}") from None


def apply_layer(y_in: Array, w: Array, b: Array, act: str | Activation = "sigmoid") -> Array:
    """One layer for a whole batch: f(y_in @ w + b)."""
    return activation(act).f(np.dot(y_in, w) + b)


def apply_net(
    y_in: Array,
    weights: Sequence[Array],
    biases: Sequence[Array],
    activations: str | Activation | Sequence[str | Activation] = "sigmoid",
) -> Array:
    """Forward pass through all layers; ``activations`` is one for all or one per layer."""
    if isinstance(activations, (str, Activation)):
        activations = [activations] * len(weights)
    if not (len(weights) == len(biases) == len(activations)):
        raise ValueError(
            f"got {len(weights)} weight matrices, {len(biases)} bias vectors and "
            f"{len(activations)} activations; they must be equally many"
        )
    y = np.asarray(y_in, dtype=float)
    for w, b, act in zip(weights, biases, activations):
        y = apply_layer(y, w, b, act)
    return y


def random_network(
    layer_sizes: Sequence[int], rng: np.random.Generator, weight_spread: float = 1.0, bias_spread: float = 1.0
) -> tuple[list[Array], list[Array]]:
    """Gaussian random weights and biases, as in the lecture-1 visualisations."""
    weights = [rng.normal(0.0, weight_spread, size=(n_in, n_out)) for n_in, n_out in zip(layer_sizes, layer_sizes[1:])]
    biases = [rng.normal(0.0, bias_spread, size=n_out) for n_out in layer_sizes[1:]]
    return weights, biases


def cost(y_out: Array, y_target: Array) -> float:
    """Quadratic cost, averaged over the batch, with the lecture's factor 1/2."""
    diff = np.asarray(y_out) - np.asarray(y_target)
    return 0.5 * float(np.mean(np.sum(diff.reshape(diff.shape[0], -1) ** 2, axis=1)))


def forward_with_derivatives(
    y_in: Array, weights: Sequence[Array], biases: Sequence[Array], act: str | Activation = "sigmoid"
) -> tuple[list[Array], list[Array]]:
    """Forward pass that keeps every layer's values and f'(z), as the lecture-2 code stores them."""
    f = activation(act)
    y_layer, df_layer = [np.asarray(y_in, dtype=float)], []
    for w, b in zip(weights, biases):
        z = np.dot(y_layer[-1], w) + b
        y_layer.append(f.f(z))
        df_layer.append(f.df(z))
    return y_layer, df_layer


def backprop(
    y_in: Array, y_target: Array, weights: Sequence[Array], biases: Sequence[Array], act: str | Activation = "sigmoid"
) -> tuple[list[Array], list[Array]]:
    """Gradients of the batch cost w.r.t. all weights and biases, one activation for all layers.

    This is the algorithm of the lecture-2 slides: start with
    Delta = (y_out - y_target) f'(z_out) at the output and multiply backwards by
    w^T f'(z) layer by layer.
    """
    y_layer, df_layer = forward_with_derivatives(y_in, weights, biases, act)
    batchsize = y_layer[0].shape[0]
    n_layers = len(weights)
    dw: list[Array] = [np.empty(0)] * n_layers
    db: list[Array] = [np.empty(0)] * n_layers
    delta = (y_layer[-1] - y_target) * df_layer[-1]
    for layer in reversed(range(n_layers)):
        dw[layer] = np.dot(y_layer[layer].T, delta) / batchsize
        db[layer] = delta.sum(axis=0) / batchsize
        if layer > 0:
            delta = np.dot(delta, weights[layer].T) * df_layer[layer - 1]
    return dw, db


def numerical_gradients(
    loss: Callable[[list[Array], list[Array]], float],
    weights: Sequence[Array],
    biases: Sequence[Array],
    eps: float = 1e-6,
) -> tuple[list[Array], list[Array]]:
    """Central finite differences of ``loss(weights, biases)``: the check every backprop must pass."""
    weights = [np.array(w, dtype=float) for w in weights]
    biases = [np.array(b, dtype=float) for b in biases]
    grads = []
    for params in (weights, biases):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + eps
                up = loss(weights, biases)
                p[idx] = old - eps
                down = loss(weights, biases)
                p[idx] = old
                g[idx] = (up - down) / (2 * eps)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads[0], grads[1]
