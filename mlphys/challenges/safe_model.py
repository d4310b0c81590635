"""Load a student's `.keras` file on the trusted side, accepting only built-in Keras pieces.

Defence in two layers. Before Keras constructs anything, the file's `config.json` is read as
plain JSON and every serialised object in it is checked: Lambda layers, Python functions,
custom or registered classes and objects from outside Keras' modelling modules are rejected
with a message that names them (some built-in layers are refused too, because they load
foreign code or read files). Only then is the model loaded with Keras `safe_mode=True`, and
every layer and operation of the loaded model must be a class defined inside Keras itself.
"""

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlphys.challenges.errors import EntryRejected

MODEL_PARAMETER_CAP = 500_000
MAX_MODEL_FILE_BYTES = 100 * 1024 * 1024
MAX_CONFIG_BYTES = 10 * 1024 * 1024

ALLOWED_RULES = "only built-in Keras layers, optimizers, initialisers and activations are allowed"

# Built-in classes that would run foreign code or read files on the platform.
REFUSED_BUILTIN_CLASSES = {
    "Lambda": "Lambda layers are not allowed (they carry Python code)",
    "TFSMLayer": "TFSMLayer is not allowed (it loads an external SavedModel)",
    "TorchModuleWrapper": "TorchModuleWrapper is not allowed (it carries pickled code)",
    "JaxLayer": "JaxLayer is not allowed (it wraps a Python function)",
    "FlaxLayer": "FlaxLayer is not allowed (it wraps a Python module)",
    "StringLookup": "StringLookup is not allowed (it can read files)",
    "IntegerLookup": "IntegerLookup is not allowed (it can read files)",
    "TextVectorization": "TextVectorization is not allowed (it can read files)",
}

# Keras namespaces that hold modelling objects; anything else (keras.utils, keras.saving, ...)
# has no business inside a model file.
_MODELLING_NAMESPACES = {
    "layers", "initializers", "activations", "regularizers", "constraints", "optimizers",
    "ops", "models", "losses", "metrics", "dtype_policies", "quantizers",
}


@dataclass
class LoadedModel:
    """The loaded Keras model and the file's raw configuration (for the saved optimizer)."""

    model: Any
    file_config: dict


def load_entry_model(path: Path, *, file_label: str | None = None) -> LoadedModel:
    """Load `path` safely or raise `EntryRejected` naming the problem."""
    path = Path(path)
    label = file_label or path.name
    file_config = read_model_file_config(path, label)
    check_serialised_objects(file_config.get("config"), label)
    check_serialised_objects(file_config.get("build_config"), label)
    model = _load_with_keras(path, label)
    check_builtin_classes(model)
    return LoadedModel(model=model, file_config=file_config)


def read_model_file_config(path: Path, label: str) -> dict:
    """The parsed `config.json` of a `.keras` archive, with size and format checks."""
    if path.is_symlink():
        raise EntryRejected(f"{label} must be a regular file, not a symbolic link", "missing_file")
    if not path.is_file():
        raise EntryRejected(f"{label} is missing from the entry", "missing_file")
    size = os.path.getsize(path)
    if size > MAX_MODEL_FILE_BYTES:
        raise EntryRejected(
            f"{label} is {size:,} bytes; the limit is {MAX_MODEL_FILE_BYTES:,}", "file_too_large"
        )
    if not zipfile.is_zipfile(path):
        raise EntryRejected(
            f"{label} is corrupted: it is not a Keras .keras archive (not a zip file)", "corrupted_file"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > MAX_CONFIG_BYTES:
                raise EntryRejected(f"{label} has an oversized config.json", "file_too_large")
            config = json.loads(archive.read(info).decode("utf-8"))
    except EntryRejected:
        raise
    except KeyError:
        raise EntryRejected(f"{label} is corrupted: it has no config.json", "corrupted_file") from None
    except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError, OSError, EOFError) as error:
        raise EntryRejected(f"{label} is corrupted: {error}", "corrupted_file") from None
    if not isinstance(config, dict):
        raise EntryRejected(f"{label} is corrupted: its config.json is not an object", "corrupted_file")
    return config


def check_serialised_objects(config: Any, label: str) -> None:
    """Walk serialised Keras objects and reject anything that is not built into Keras."""
    if isinstance(config, list):
        for item in config:
            check_serialised_objects(item, label)
        return
    if not isinstance(config, dict):
        return
    if "class_name" in config:
        _check_one_object(config, label)
    for value in config.values():
        check_serialised_objects(value, label)


def _check_one_object(obj: dict, label: str) -> None:
    class_name = obj.get("class_name")
    module = obj.get("module")
    registered = obj.get("registered_name")
    if class_name == "__lambda__":
        raise EntryRejected(
            f"{label} contains a Python lambda (for example in a Lambda layer); {ALLOWED_RULES}",
            "lambda_layer",
        )
    if class_name in REFUSED_BUILTIN_CLASSES:
        reason = "lambda_layer" if class_name == "Lambda" else "refused_layer"
        raise EntryRejected(f"{label}: {REFUSED_BUILTIN_CLASSES[class_name]}", reason)
    if isinstance(registered, str) and ">" in registered:
        raise EntryRejected(
            f"{label} uses the custom object '{registered}'; {ALLOWED_RULES}", "custom_object"
        )
    if module == "builtins" and class_name == "function":
        if not _is_keras_activation(obj.get("config")):
            raise EntryRejected(
                f"{label} uses the custom function '{obj.get('config')}'; {ALLOWED_RULES}",
                "custom_object",
            )
        return
    if module is None:
        if isinstance(class_name, str) and class_name.startswith("__") and class_name.endswith("__"):
            return  # Keras' own containers such as __tuple__
        raise EntryRejected(
            f"{label} uses the custom object '{class_name}'; {ALLOWED_RULES}", "custom_object"
        )
    if not _is_modelling_module(str(module)):
        raise EntryRejected(
            f"{label} uses '{class_name}' from module '{module}', which is not part of Keras' "
            f"modelling API; {ALLOWED_RULES}",
            "custom_object",
        )


def _is_modelling_module(module: str) -> bool:
    if module == "keras":
        return True
    parts = module.split(".")
    if parts[0] != "keras" or len(parts) < 2:
        return False
    namespace = parts[2] if parts[1] == "src" and len(parts) > 2 else parts[1]
    return namespace in _MODELLING_NAMESPACES


def _is_keras_activation(name: Any) -> bool:
    import keras

    return isinstance(name, str) and callable(getattr(keras.activations, name, None))


def _load_with_keras(path: Path, label: str):
    import keras

    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except EntryRejected:
        raise
    except Exception as error:  # Keras raises many types for broken or hostile files.
        text = _first_line(error)
        if "Lambda" in text or "lambda" in text:
            raise EntryRejected(f"{label}: Lambda layers are not allowed; {ALLOWED_RULES}", "lambda_layer") from None
        if "could not be deserialized" in text or "Could not locate" in text or "Unknown" in text:
            raise EntryRejected(
                f"{label} could not be loaded with built-in Keras objects only ({text}); {ALLOWED_RULES}",
                "custom_object",
            ) from None
        raise EntryRejected(f"{label} is corrupted or unreadable: {text}", "corrupted_file") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    message = text[0] if text else type(error).__name__
    return message[:300]


def iter_operations(model):
    """Every layer and graph operation of `model`, descending into nested models."""
    seen = set()
    stack = [model]
    while stack:
        current = stack.pop()
        children = list(getattr(current, "layers", []) or [])
        functional = getattr(current, "_functional", None) or current
        children += list(getattr(functional, "_operations", []) or [])
        for child in children:
            if id(child) in seen or child is current:
                continue
            seen.add(id(child))
            yield child
            stack.append(child)


def check_builtin_classes(model) -> None:
    """Every class in the loaded model must be defined inside Keras itself."""
    for operation in [model, *iter_operations(model)]:
        cls = type(operation)
        if not cls.__module__.startswith("keras.src."):
            raise EntryRejected(
                f"the model contains '{operation.name}' of class {cls.__module__}.{cls.__name__}, "
                f"which is not a built-in Keras layer; {ALLOWED_RULES}",
                "custom_object",
            )
        if cls.__name__ in REFUSED_BUILTIN_CLASSES:
            raise EntryRejected(REFUSED_BUILTIN_CLASSES[cls.__name__], "refused_layer")


def check_parameter_cap(model, cap: int = MODEL_PARAMETER_CAP) -> int:
    """Total parameter count (trainable and not), rejected above `cap`."""
    try:
        count = int(model.count_params())
    except Exception as error:
        raise EntryRejected(
            f"the model's parameters cannot be counted (is it built?): {_first_line(error)}", "unbuilt_model"
        ) from None
    if count > cap:
        raise EntryRejected(
            f"the model has {count:,} parameters; the cap is {cap:,}", "too_many_parameters"
        )
    return count


def check_single_input_output(model) -> None:
    """Both challenges map one image batch to one output tensor."""
    try:
        inputs, outputs = model.inputs, model.outputs
    except Exception:
        return  # A Sequential model without a declared input; its shapes are checked later.
    if inputs is not None and len(inputs) != 1:
        raise EntryRejected(f"the model must have exactly one input; it has {len(inputs)}", "wrong_input_shape")
    if outputs is not None and len(outputs) != 1:
        raise EntryRejected(f"the model must have exactly one output; it has {len(outputs)}", "wrong_output_shape")


def check_declared_input_shape(model, expected: tuple[int, ...]) -> None:
    """The declared input must accept (batch, *expected); unknown sizes (None) are fine."""
    try:
        inputs = model.inputs
    except Exception:
        return
    if not inputs:
        return
    declared = tuple(inputs[0].shape)[1:]
    compatible = len(declared) == len(expected) and all(
        size is None or size == want for size, want in zip(declared, expected)
    )
    if not compatible:
        raise EntryRejected(
            f"the model's input must accept arrays of shape (batch, {_shape_text(expected)}); "
            f"it declares (batch, {_shape_text(declared)})",
            "wrong_input_shape",
        )


def _shape_text(shape) -> str:
    return ", ".join("None" if size is None else str(size) for size in shape)


def saved_optimizer_identifier(file_config: dict, label: str):
    """The optimizer the student compiled the model with, as saved in the file."""
    compile_config = file_config.get("compile_config")
    if not isinstance(compile_config, dict) or compile_config.get("optimizer") is None:
        raise EntryRejected(
            f"{label} was saved without an optimizer: call model.compile(optimizer=...) before "
            "saving it",
            "missing_optimizer",
        )
    identifier = compile_config["optimizer"]
    check_serialised_objects(identifier, label)
    return identifier


def make_optimizer(identifier, label: str):
    """A fresh optimizer from the saved identifier (string or serialised config)."""
    import copy

    import keras

    try:
        return keras.optimizers.get(copy.deepcopy(identifier))
    except Exception as error:
        raise EntryRejected(
            f"{label}: the saved optimizer cannot be re-created from built-in Keras optimizers "
            f"({_first_line(error)})",
            "custom_object",
        ) from None
