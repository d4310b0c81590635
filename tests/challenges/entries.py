"""Small Keras models and entry writers shared by the challenge tests."""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
from keras import layers  # noqa: E402

SMALL_BUDGET = 300  # images: 10 training steps at batch size 30


def dense_autoencoder(width: int, *, compiled: bool = True, optimizer="adam"):
    """27x27x1 -> Flatten -> Dense(width) -> Dense(729) -> 27x27x1, so the bottleneck is `width`."""
    inputs = keras.Input((27, 27, 1))
    hidden = layers.Dense(width, activation="relu")(layers.Flatten()(inputs))
    outputs = layers.Reshape((27, 27, 1))(layers.Dense(729, activation="sigmoid")(hidden))
    model = keras.Model(inputs, outputs)
    if compiled:
        model.compile(optimizer=optimizer, loss="mse")
    return model


def softmax_policy(units: int = 5):
    """A small policy ending in a softmax over `units` outputs."""
    return keras.Sequential(
        [keras.Input((15, 15, 3)), layers.Flatten(), layers.Dense(units), layers.Softmax()]
    )


def write_settings(entry_dir, settings) -> None:
    """Overwrite autoencoder.json with `settings` (a dict, or raw text for malformed cases)."""
    text = settings if isinstance(settings, str) else json.dumps(settings)
    (entry_dir / "autoencoder.json").write_text(text, encoding="utf-8")
