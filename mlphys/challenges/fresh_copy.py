"""A freshly initialised copy of an entry's architecture, on a fixed input shape.

The autoencoder challenge ignores the submitted weights: every run starts from a new random
initialisation drawn under the platform's secret seed. Seeds written into the configuration
(for example `GlorotUniform(seed=42)` or `Dropout(seed=1)`) are removed, otherwise a student
could pick a lucky initialisation offline. Fixing the input shape also gives every layer a
concrete output shape, which the bottleneck count needs.
"""

from mlphys.challenges.errors import EntryRejected


def strip_seeds(config):
    """A copy of a layer config with every "seed" entry set to None."""
    if isinstance(config, dict):
        return {key: None if key == "seed" else strip_seeds(value) for key, value in config.items()}
    if isinstance(config, list):
        return [strip_seeds(item) for item in config]
    return config


def _rebuild_without_seeds(layer):
    return layer.__class__.from_config(strip_seeds(layer.get_config()))


def fresh_model_copy(model, input_shape: tuple[int, ...]):
    """Rebuild `model` from its configuration on inputs of shape (batch, *input_shape).

    New weights are drawn from the Keras global random state, so call
    `keras.utils.set_random_seed` first to make the copy reproducible.
    """
    import keras

    try:
        return keras.models.clone_model(
            model,
            input_tensors=keras.Input(shape=input_shape),
            clone_function=_rebuild_without_seeds,
        )
    except EntryRejected:
        raise
    except Exception as error:
        detail = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        raise EntryRejected(
            f"the model cannot be built on inputs of shape (batch, {', '.join(map(str, input_shape))}): {detail}",
            "wrong_input_shape",
        ) from None
