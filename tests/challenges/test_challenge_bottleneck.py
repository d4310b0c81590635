"""The bottleneck is the minimum vertex cut of the layer graph between input and output."""

import math

import keras
import pytest
from keras import layers

from mlphys.challenges.bottleneck import check_bottleneck, find_bottleneck, variants_for
from mlphys.challenges.errors import EntryRejected
from course_lib.challenges.reference_models import build_course_example_autoencoder

from .entries import dense_autoencoder


def on_27x27(model):
    return keras.models.clone_model(model, input_tensors=keras.Input((27, 27, 1)))


def test_course_example_has_bottleneck_nine():
    found = find_bottleneck(on_27x27(build_course_example_autoencoder()))
    assert found.size == 9
    assert len(found.layers) == 1 and found.layers[0].startswith("conv2d")


def test_plain_stack_equals_smallest_layer_between_input_and_output():
    model = keras.Sequential(
        [
            keras.Input((27, 27, 1)),
            layers.Conv2D(4, 3, padding="same"),  # 2916
            layers.MaxPooling2D(3),  # 9x9x4 = 324
            layers.Flatten(),  # 324
            layers.Dense(7),  # 7
            layers.Dense(50),  # 50
            layers.Dense(5),  # 5  <- smallest in between
            layers.Dense(729),
            layers.Reshape((27, 27, 1)),  # output layer: excluded
        ]
    )
    sizes = [math.prod(layer.output.shape[1:]) for layer in model.layers[:-1]]
    assert find_bottleneck(model).size == min(sizes) == 5


def test_output_and_input_layers_are_not_counted():
    """A Dense(1) output layer would be a 1-neuron 'bottleneck' if the output layer counted."""
    inputs = keras.Input((27, 27, 1))
    hidden = layers.Dense(20)(layers.Flatten()(inputs))
    outputs = layers.Dense(1)(hidden)
    assert find_bottleneck(keras.Model(inputs, outputs)).size == 20


def test_skip_connection_around_the_narrow_layer_does_not_get_through():
    inputs = keras.Input((27, 27, 1))
    flat = layers.Flatten()(inputs)
    narrow = layers.Dense(3)(flat)
    wide = layers.Dense(729)(narrow)
    outputs = layers.Reshape((27, 27, 1))(layers.Add()([wide, flat]))
    found = find_bottleneck(keras.Model(inputs, outputs))
    assert found.size == 729
    with pytest.raises(EntryRejected, match="729 neurons") as info:
        check_bottleneck(keras.Model(inputs, outputs))
    assert info.value.reason == "bottleneck"


def test_input_wired_straight_into_the_output_layer_has_no_bottleneck():
    inputs = keras.Input((27, 27, 1))
    decoded = layers.Reshape((27, 27, 1))(layers.Dense(729)(layers.Dense(2)(layers.Flatten()(inputs))))
    outputs = layers.Add()([decoded, inputs])
    assert math.isinf(find_bottleneck(keras.Model(inputs, outputs)).size)
    with pytest.raises(EntryRejected, match="no bottleneck"):
        check_bottleneck(keras.Model(inputs, outputs))


def test_parallel_narrow_branches_add_up():
    """Two branches of 2 and 3 neurons side by side carry 5 neurons in total."""
    inputs = keras.Input((27, 27, 1))
    flat = layers.Flatten()(inputs)
    merged = layers.Concatenate()([layers.Dense(2)(flat), layers.Dense(3)(flat)])
    outputs = layers.Reshape((27, 27, 1))(layers.Dense(729)(merged))
    assert find_bottleneck(keras.Model(inputs, outputs)).size == 5


def test_residual_connections_after_the_bottleneck_are_fine():
    inputs = keras.Input((27, 27, 1))
    code = layers.Dense(3)(layers.Flatten()(inputs))
    wide = layers.Dense(100)(code)
    wide = layers.Add()([wide, layers.Dense(100)(wide)])
    outputs = layers.Reshape((27, 27, 1))(layers.Dense(729)(wide))
    found, variants = check_bottleneck(keras.Model(inputs, outputs))
    assert found.size == 3 and variants == ["HARD", "MEDIUM"]


def test_nested_models_are_expanded():
    encoder = keras.Sequential([keras.Input((27, 27, 1)), layers.Flatten(), layers.Dense(64), layers.Dense(4)], name="enc")
    decoder = keras.Sequential([keras.Input((4,)), layers.Dense(64), layers.Dense(729), layers.Reshape((27, 27, 1))], name="dec")
    inputs = keras.Input((27, 27, 1))
    found = find_bottleneck(keras.Model(inputs, decoder(encoder(inputs))))
    assert found.size == 4
    assert len(found.layers) == 1 and found.layers[0].startswith("enc/dense")


def test_bottleneck_of_ten_is_rejected_naming_the_number():
    with pytest.raises(EntryRejected, match=r"bottleneck holds 10 neurons"):
        check_bottleneck(dense_autoencoder(10))


def test_variants():
    assert variants_for(1) == ["HARD", "MEDIUM"]
    assert variants_for(3) == ["HARD", "MEDIUM"]
    assert variants_for(4) == ["MEDIUM"]
    assert variants_for(9) == ["MEDIUM"]
    assert variants_for(10) == []
