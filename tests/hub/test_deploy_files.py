"""Acceptance 5: docker-compose.yml validates with Debian's docker-compose, the images pin what local mode
pins, and every path and volume the deployment files name exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import REPO

DOCKERFILES = sorted((REPO / "docker").glob("*.Dockerfile"))
ENV = dict(os.environ, POSTGRES_PASSWORD="validation-only")


def compose_config(path: Path, env_file: str) -> subprocess.CompletedProcess:
    """`docker-compose config` of ``path`` in a copy of the repository whose .env is ``env_file``'s text."""
    if not shutil.which("docker-compose"):
        if os.geteuid() == 0:
            pytest.fail("docker-compose is missing: `make test` installs Debian's package as root")
        pytest.skip("Debian's docker-compose is not installed (`make test` installs it as root)")
    project = Path(tempfile.mkdtemp(prefix="compose-config-"))
    try:
        for entry in REPO.iterdir():
            if entry.name not in (".env", "docker-compose.yml"):
                (project / entry.name).symlink_to(entry)
        shutil.copy(path, project / "docker-compose.yml")
        (project / ".env").write_text(env_file)
        return subprocess.run(["docker-compose", "config"], cwd=project, env=ENV, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(project)


ENV_EXAMPLE = (REPO / "docker" / "env.example").read_text()
# what an operator writes into .env after `cp docker/env.example .env`: an OIDC login
ENV_FILE = ENV_EXAMPLE + "\n".join(["COURSE_HUB_AUTH=oidc", "COURSE_OAUTH_CLIENT_ID=mlphys-hub",
                                    "COURSE_OIDC_ISSUER=https://login.example.org/realms/uni", ""])


@pytest.fixture(scope="module")
def compose() -> dict:
    result = compose_config(REPO / "docker-compose.yml", ENV_FILE)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_config_passes(compose):
    assert {"hub", "db", "grader", "student"} <= set(compose["services"])


def test_the_validation_fails_when_the_file_breaks(tmp_path):
    broken = (REPO / "docker-compose.yml").read_text().replace("    image: ${COURSE_POSTGRES_IMAGE", "    imagee: ${COURSE_POSTGRES_IMAGE")
    assert broken != (REPO / "docker-compose.yml").read_text()
    (tmp_path / "docker-compose.yml").write_text(broken)
    assert compose_config(tmp_path / "docker-compose.yml", ENV_FILE).returncode != 0


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
            elif source.startswith(("/", "$")):  # the Docker engine's socket, the only host path
                assert source in ("/var/run/docker.sock", "${DOCKER_SOCKET"), f"{name}: host path {source}"
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
        assert re.search(r"^ARG BASE_IMAGE=\S+\nFROM \$\{BASE_IMAGE\}$", text, re.M), f"{dockerfile.name}: base image as a build argument"
        assert "COPY requirements.lock pyproject.toml" in text
        if dockerfile.name == "k8s-hub.Dockerfile":  # over the chart's hub image (its Python: test_z2jh_loader.py)
            assert "pip install -c requirements.lock -e ." in text
            continue
        base = re.search(r"^ARG BASE_IMAGE=python:(\d+)\.(\d+)", text, re.M)
        assert base and (int(base.group(1)), int(base.group(2))) == sys.version_info[:2], f"{dockerfile.name}: Python {base and base.group(0)}"
        # the pinned dependencies first (a layer the hub and student images share), then the course itself
        assert "pip install -c requirements.lock -r requirements.lock" in text, dockerfile.name
        assert "pip install --no-deps -c requirements.lock -e ." in text, dockerfile.name
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
    assert all(src in ("requirements.lock", "pyproject.toml", "course_lib", "mlphys") for group in copied for src in group)
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


def test_login_settings_reach_the_hub(compose):
    """.env reaches the hub container whole (env_file), and env.example names every setting the hub reads."""
    hub = compose["services"]["hub"]["environment"]
    assert hub["COURSE_HUB_AUTH"] == "oidc" and hub["COURSE_OAUTH_CLIENT_ID"] == "mlphys-hub"
    assert hub["COURSE_OIDC_ISSUER"] == "https://login.example.org/realms/uni"
    read = set(re.findall(r"os\.environ\.get\(\"(COURSE_[A-Z0-9_]+)\"", (REPO / "jupyterhub_config.py").read_text()))
    read |= set(re.findall(r"env\.get\(\"(COURSE_[A-Z0-9_]+)\"", (REPO / "course_lib" / "hub" / "hubconfig.py").read_text()))
    set_by_compose = set(compose["services"]["hub"]["environment"]) - set(re.findall(r"^#? ?(COURSE_[A-Z0-9_]+)=", ENV_EXAMPLE, re.M))
    internal = {"COURSE_HUB_MODE", "COURSE_ROOT", "COURSE_HUB_STATE", "COURSE_HUB_DB_URL", "COURSE_HUB_HOSTNAME",
                "COURSE_STUDENT_IMAGE", "COURSE_DOCKER_NETWORK", "COURSE_GRADER_TOKEN_DIR", "COURSE_ID",
                "COURSE_EXCHANGE_URL", "COURSE_STUDENT_CONFIG_DIR", "COURSE_DATA_DIR", "COURSE_DEMO_ACCOUNTS",
                "COURSE_HUB_IP", "COURSE_HUB_PORT", "COURSE_HUB_API_PORT", "COURSE_PROXY_API_PORT",
                "COURSE_SERVICE_PORT_BASE", "COURSE_UNIX_PREFIX", "COURSE_EXCHANGE_USER", "COURSE_LEADERBOARD_USER",
                "COURSE_GRADER_USER", "COURSE_LEADERBOARD_COMMAND", "COURSE_WORKER_KINDS", "COURSE_WORKER_INTERVAL",
                "COURSE_AUTO_ENROLL", "COURSE_SERVICE_BIND_IP"}
    documented = set(re.findall(r"^#? ?(COURSE_[A-Z0-9_]+)=", ENV_EXAMPLE, re.M))
    assert read - internal - documented - set_by_compose == set(), "settings the hub reads that env.example omits"


def test_start_waits_for_health_and_the_token(compose):
    raw = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert raw["services"]["hub"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert raw["services"]["grader"]["depends_on"] == {"hub": {"condition": "service_healthy"}}
    assert raw["services"]["hub"]["healthcheck"]["test"] and raw["services"]["db"]["healthcheck"]["test"]


def test_the_grader_gets_bwraps_privileges_and_nothing_of_the_hub(compose):
    grader, hub = compose["services"]["grader"], compose["services"]["hub"]
    assert set(grader["cap_add"]) == {"SYS_ADMIN", "NET_ADMIN"}  # namespaces and mounts; the sandbox's loopback
    assert not grader.get("privileged")
    volumes = {str(v.get("source") if isinstance(v, dict) else v.split(":")[0]) for v in grader["volumes"]}
    assert not any("hub-state" in v or "docker.sock" in v for v in volumes), volumes
    assert any("grader-token" in v for v in volumes)
    assert "COURSE_EXCHANGE_TOKEN_FILE" in grader["environment"]
    assert "hub-state" in str(hub["volumes"])


def test_students_containers_reach_neither_the_database_nor_the_internet(compose):
    hub_env = compose["services"]["hub"]["environment"]
    users = hub_env["COURSE_DOCKER_NETWORK"]
    networks = {spec.get("name", key): spec for key, spec in compose["networks"].items()}
    assert networks[users].get("internal") is True
    on_users = {name for name, s in compose["services"].items() if users in (s.get("networks") or {})}
    assert on_users == {"hub"}, "only the hub shares the students' network"
