"""Fixtures writing challenge entries into temporary directories."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

from course_lib.challenges.reference_models import (
    EXAMPLE_AUTOENCODER_SETTINGS,
    build_course_example_autoencoder,
    write_autoencoder_entry,
    write_maze_entry,
)


@pytest.fixture
def write_ae(tmp_path):
    """write_ae(model, settings=None, name="entry") -> entry directory."""

    def write(model, settings=None, name="entry"):
        return write_autoencoder_entry(tmp_path / name, model, settings or {"batchsize": 30, "training": "NORMAL"})

    return write


@pytest.fixture
def write_policy(tmp_path):
    """write_policy(model, name="entry") -> entry directory."""

    def write(model, name="entry"):
        return write_maze_entry(tmp_path / name, model)

    return write


@pytest.fixture(scope="session")
def example_entry(tmp_path_factory):
    """The course example autoencoder as an entry (batch size 30, NORMAL)."""
    directory = tmp_path_factory.mktemp("example")
    return write_autoencoder_entry(directory, build_course_example_autoencoder(), EXAMPLE_AUTOENCODER_SETTINGS)
