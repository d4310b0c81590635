"""Acceptance 5: docker-compose.yml validates with Debian's docker-compose, the images pin what local mode
pins, and every path and volume the deployment files name exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO

DOCKERFILES = sorted((REPO / "docker").glob("*.Dockerfile"))
ENV = dict(os.environ, POSTGRES_PASSWORD="validation-only")


def compose_config(path: Path) -> subprocess.CompletedProcess:
    if not shutil.which("docker-compose"):
        if os.geteuid() == 0:
            pytest.fail("docker-compose is missing: `make test` installs Debian's package as root")
        pytest.skip("Debian's docker-compose is not installed (`make test` installs it as root)")
    return subprocess.run(["docker-compose", "-f", str(path), "config"], cwd=path.parent, env=ENV,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def compose() -> dict:
    result = compose_config(REPO / "docker-compose.yml")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_config_passes(compose):
    assert {"hub", "db", "grader", "student"} <= set(compose["services"])


def test_the_validation_fails_when_the_file_breaks(tmp_path):
    broken = (REPO / "docker-compose.yml").read_text().replace("    image: postgres:", "    imagee: postgres:")
    (tmp_path / "docker-compose.yml").write_text(broken)
    assert compose_config(tmp_path / "docker-compose.yml").returncode != 0


def test_every_path_and_volume_named_exists(compose):
    raw = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    declared = set(raw.get("volumes") or {})
    for name, service in raw["services"].items():
        build = service.get("build")
        if build:
            assert (REPO / build["context"]).is_dir(), name
            assert (REPO / build["context"] / build["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith(("./", "../")):
                assert (REPO / source).exists(), f"{name}: {source}"
            elif source.startswith("/"):
                assert source == "/var/run/docker.sock", f"{name}: host path {source}"  # the Docker engine's socket
            else:
                assert source in declared, f"{name}: volume {source} is not declared"
    images = {s.get("image") for s in raw["services"].values()}
    hub_env = compose["services"]["hub"]["environment"]
    assert hub_env["COURSE_STUDENT_IMAGE"] in images, "the hub spawns an image that compose builds"
    assert compose["services"]["grader"]["image"] == compose["services"]["hub"]["image"]


def test_dockerfiles_copy_only_what_exists():
    for dockerfile in DOCKERFILES:
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY "):
                sources = line.split()[1:-1]
                for source in sources:
                    if source != ".":
                        assert (REPO / source).exists(), f"{dockerfile.name}: {source}"


def test_images_install_the_same_pinned_requirements_as_local_mode():
    makefile = (REPO / "Makefile").read_text()
    local_pip = re.search(r'"pip==([\d.]+)"', makefile).group(1)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert DOCKERFILES, "no Dockerfiles under docker/"
    for dockerfile in DOCKERFILES:
        text = dockerfile.read_text()
        base = re.search(r"^FROM python:(\d+)\.(\d+)", text, re.M)
        assert base and (int(base.group(1)), int(base.group(2))) == sys.version_info[:2], f"{dockerfile.name}: Python {base and base.group(0)}"
        assert "COPY requirements.lock pyproject.toml" in text
        assert "pip install -c requirements.lock -e ." in text, dockerfile.name
        assert f'"pip=={local_pip}"' in text, f"{dockerfile.name} pins another pip than the Makefile"
        assert not re.search(r"pip install(?!.*-c requirements\.lock)(?!.*\"pip==)", text), f"{dockerfile.name}: unpinned pip install"
    lock = dict(line.split("==") for line in (REPO / "requirements.lock").read_text().split() if "==" in line)
    lock = {name.lower().replace("_", "-"): version for name, version in lock.items()}
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        name, version = requirement.split("==")
        assert lock.get(name.lower().replace("_", "-")) == version, f"requirements.lock does not pin {requirement}"


def test_the_student_image_holds_no_solutions_or_hidden_tests():
    text = (REPO / "docker" / "student.Dockerfile").read_text()
    copied = [line.split()[1:-1] for line in text.splitlines() if line.startswith("COPY ")]
    assert all(src in ("requirements.lock", "pyproject.toml", "course_lib") for group in copied for src in group)
    assert "USER 1000" in text
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".state", ".git", ".secrets", ".venv"} <= set(ignored)


def test_kubernetes_values_file():
    values = yaml.safe_load((REPO / "deploy" / "z2jh-values.yaml").read_text())
    assert values["hub"]["extraEnv"]["COURSE_HUB_MODE"] == "kubernetes"
    assert "/srv/course/jupyterhub_config.py" in values["hub"]["extraConfig"]["00-course"]
    assert values["singleuser"]["memory"]["limit"] and values["singleuser"]["cpu"]["limit"]
    assert values["cull"]["enabled"] is True
    mounts = {m["name"] for m in values["hub"]["extraVolumeMounts"]}
    assert mounts == {v["name"] for v in values["hub"]["extraVolumes"]}
