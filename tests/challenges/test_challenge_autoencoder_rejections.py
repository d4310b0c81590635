"""Bad autoencoder entries are rejected with a message naming the problem, and nothing crashes."""

import json
import zipfile

import keras
import pytest
from keras import layers

from mlphys.challenges.autoencoder import score_autoencoder_entry

from .entries import SMALL_BUDGET, dense_autoencoder, write_settings


@keras.saving.register_keras_serializable(package="student")
class Doubler(layers.Layer):
    def call(self, x):
        return 2.0 * x


class Unregistered(layers.Layer):
    def call(self, x):
        return x


def student_activation(x):
    return keras.ops.relu(x)


def score(entry_dir, **kwargs):
    kwargs.setdefault("_budget_images", SMALL_BUDGET)
    kwargs.setdefault("runs", 1)
    result = score_autoencoder_entry(entry_dir, seed=1, **kwargs)
    json.loads(result.to_json())  # always a serialisable record
    return result


def assert_rejected(result, reason, *words):
    assert result.accepted is False
    assert result.rejection_reason == reason, result.message
    for word in words:
        assert word in result.message, result.message
    assert result.score is None


def test_lambda_layer(write_ae):
    model = keras.Sequential([keras.Input((27, 27, 1)), layers.Lambda(lambda x: x), layers.Conv2D(1, 3, padding="same")])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "lambda_layer", "Lambda")


def test_registered_custom_layer(write_ae):
    model = keras.Sequential([keras.Input((27, 27, 1)), Doubler(), layers.Conv2D(1, 3, padding="same")])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "custom_object", "student>Doubler", "built-in")


def test_unregistered_custom_layer(write_ae):
    model = keras.Sequential([keras.Input((27, 27, 1)), Unregistered(), layers.Conv2D(1, 3, padding="same")])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "custom_object", "Unregistered")


def test_custom_activation_function(write_ae):
    model = keras.Sequential([keras.Input((27, 27, 1)), layers.Conv2D(1, 3, padding="same", activation=student_activation)])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "custom_object", "student_activation")


def test_custom_optimizer_is_rejected_but_custom_loss_is_ignored(write_ae):
    model = dense_autoencoder(3)
    model.compile(optimizer="adam", loss=lambda y, p: keras.ops.mean((y - p) ** 2))
    assert score(write_ae(model, name="custom_loss")).accepted  # the loss is MSE anyway

    @keras.saving.register_keras_serializable(package="student")
    class MySGD(keras.optimizers.SGD):
        pass

    model.compile(optimizer=MySGD(0.1), loss="mse")
    assert_rejected(score(write_ae(model, name="custom_optimizer")), "custom_object", "MySGD")


def test_model_saved_without_optimizer(write_ae):
    assert_rejected(score(write_ae(dense_autoencoder(3, compiled=False))), "missing_optimizer", "compile")


def test_skip_connection_bypassing_the_bottleneck(write_ae):
    inputs = keras.Input((27, 27, 1))
    flat = layers.Flatten()(inputs)
    wide = layers.Dense(729)(layers.Dense(3)(flat))
    outputs = layers.Reshape((27, 27, 1))(layers.Add()([wide, flat]))
    model = keras.Model(inputs, outputs)
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "bottleneck", "729 neurons")


def test_bottleneck_of_ten(write_ae):
    assert_rejected(score(write_ae(dense_autoencoder(10))), "bottleneck", "10 neurons", "at most 9")


def test_too_many_parameters(write_ae):
    inputs = keras.Input((27, 27, 1))
    x = layers.Dense(400)(layers.Flatten()(inputs))
    x = layers.Dense(400)(layers.Dense(9)(x))
    model = keras.Model(inputs, layers.Reshape((27, 27, 1))(layers.Dense(729)(x)))
    model.compile("adam", "mse")
    assert model.count_params() == 591_938
    assert_rejected(score(write_ae(model)), "too_many_parameters", "591,938", "500,000")


def test_wrong_input_shape(write_ae):
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(1, 3, padding="same")])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "wrong_input_shape", "input", "28, 28, 1")


def test_wrong_output_shape(write_ae):
    model = keras.Sequential([keras.Input((27, 27, 1)), layers.Conv2D(2, 3, padding="same")])
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "wrong_output_shape", "output", "27, 27, 2")


def test_nan_cost(write_ae):
    inputs = keras.Input((27, 27, 1))
    code = layers.Dense(9)(layers.Flatten()(inputs))
    negative = layers.Dense(729, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(-1.0))(code)
    model = keras.Model(inputs, layers.Reshape((27, 27, 1))(keras.ops.sqrt(negative)))
    model.compile("adam", "mse")
    assert_rejected(score(write_ae(model)), "nan_cost", "non-finite cost", "step 1")


def test_wall_clock_cap(write_ae):
    result = score(write_ae(dense_autoencoder(3)), wall_clock_cap_s=1e-3)
    assert_rejected(result, "wall_clock_cap", "wall-clock cap")


@pytest.mark.parametrize(
    "content",
    [b"definitely not a zip archive", b"PK\x03\x04" + b"\x00" * 64],
    ids=["garbage", "broken-zip"],
)
def test_corrupted_model_file(write_ae, content):
    entry = write_ae(dense_autoencoder(3))
    (entry / "autoencoder.keras").write_bytes(content)
    assert_rejected(score(entry), "corrupted_file", "corrupted")


def test_truncated_model_file(write_ae):
    entry = write_ae(dense_autoencoder(3))
    data = (entry / "autoencoder.keras").read_bytes()
    (entry / "autoencoder.keras").write_bytes(data[: len(data) // 2])
    assert_rejected(score(entry), "corrupted_file", "corrupted")


@pytest.mark.parametrize("member, content", [("config.json", b"{not json"), ("model.weights.h5", b"not hdf5")])
def test_corrupted_member_inside_the_archive(write_ae, member, content):
    entry = write_ae(dense_autoencoder(3))
    path = entry / "autoencoder.keras"
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members[member] = content
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert_rejected(score(entry), "corrupted_file", "corrupted")


def test_missing_model_file(write_ae):
    entry = write_ae(dense_autoencoder(3))
    (entry / "autoencoder.keras").unlink()
    assert_rejected(score(entry), "missing_file", "autoencoder.keras", "missing")


def test_symbolic_links_are_not_followed(write_ae, tmp_path):
    entry = write_ae(dense_autoencoder(3))
    outside = tmp_path / "outside.json"
    outside.write_text('{"batchsize": 30, "training": "NORMAL"}', encoding="utf-8")
    (entry / "autoencoder.json").unlink()
    (entry / "autoencoder.json").symlink_to(outside)
    assert_rejected(score(entry), "missing_file", "autoencoder.json", "symbolic link")


def test_missing_settings(write_ae):
    entry = write_ae(dense_autoencoder(3))
    (entry / "autoencoder.json").unlink()
    assert_rejected(score(entry), "missing_file", "autoencoder.json", "missing")


@pytest.mark.parametrize(
    "settings, reason, words",
    [
        ('{"batchsize": 30, "training": "NORMAL"', "malformed_settings", ["not valid JSON"]),
        ("[30, \"NORMAL\"]", "malformed_settings", ["JSON object"]),
        ({"training": "NORMAL"}, "malformed_settings", ["'batchsize'"]),
        ({"batchsize": 30}, "malformed_settings", ["'training'"]),
        ({"batchsize": 30, "training": "NORMAL", "epochs": 5}, "malformed_settings", ["'epochs'"]),
        ({"batchsize": "30", "training": "NORMAL"}, "malformed_settings", ["integer"]),
        ({"batchsize": 30.5, "training": "NORMAL"}, "malformed_settings", ["integer"]),
        ({"batchsize": 30, "training": "SHORT"}, "malformed_settings", ["NORMAL", "LONG", "SHORT"]),
        ({"batchsize": 0, "training": "NORMAL"}, "batchsize_out_of_range", ["between 1 and 1000", "got 0"]),
        ({"batchsize": 10**6, "training": "LONG"}, "batchsize_out_of_range", ["between 1 and 1000", "got 1000000"]),
    ],
    ids=["truncated", "not-object", "no-batchsize", "no-training", "extra-key", "string", "float", "bad-training", "zero", "million"],
)
def test_malformed_settings(write_ae, settings, reason, words):
    entry = write_ae(dense_autoencoder(3))
    write_settings(entry, settings)
    assert_rejected(score(entry), reason, "autoencoder.json", *words)


def test_settings_that_are_not_utf8(write_ae):
    entry = write_ae(dense_autoencoder(3))
    (entry / "autoencoder.json").write_bytes(b"\xff\xfe\x00garbage")
    assert_rejected(score(entry), "malformed_settings", "autoencoder.json")
