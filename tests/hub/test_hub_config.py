"""jupyterhub_config.py loads in every mode and with every authentication switch, with options that exist.

The local mode runs for real in the other hub tests; here the docker and kubernetes modes and the
OAuth / OIDC / LTI 1.3 switches are loaded and checked as far as they can be without a Docker
engine, a cluster or an identity provider: every option set must be a real option of the class
it is set on, the classes must construct with it, and roles must name existing services.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from traitlets.config import Config
from tornado.httputil import HTTPServerRequest

from conftest import REPO
from course_lib.hub.formgrader_tab import _FormgraderLink
from course_lib.hub.hubconfig import Settings

CLASSES = {
    "JupyterHub": "jupyterhub.app.JupyterHub",
    "Spawner": "jupyterhub.spawner.Spawner",
    "LocalProcessSpawner": "jupyterhub.spawner.LocalProcessSpawner",
    "SimpleLocalProcessSpawner": "jupyterhub.spawner.SimpleLocalProcessSpawner",
    "CourseLocalSpawner": "course_lib.hub.spawner.CourseLocalSpawner",
    "DockerSpawner": "dockerspawner.DockerSpawner",
    "Authenticator": "jupyterhub.auth.Authenticator",
    "NativeAuthenticator": "nativeauthenticator.NativeAuthenticator",
    "CourseAuthenticator": "course_lib.hub.auth.CourseAuthenticator",
    "GitHubOAuthenticator": "oauthenticator.github.GitHubOAuthenticator",
    "GenericOAuthenticator": "oauthenticator.generic.GenericOAuthenticator",
    "LTI13Authenticator": "ltiauthenticator.lti13.auth.LTI13Authenticator",
    "ConfigurableHTTPProxy": "jupyterhub.proxy.ConfigurableHTTPProxy",
}
AUTHENTICATORS = {"native": "course_lib.hub.auth.CourseAuthenticator", "github": "github", "oidc": "generic-oauth",
                  "lti13": "ltiauthenticator.lti13.auth.LTI13Authenticator"}


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def load(monkeypatch, tmp_path, base: Config | None = None, **env) -> Config:
    """Run jupyterhub_config.py as JupyterHub (or Zero to JupyterHub's extraConfig) would."""
    for name in list(__import__("os").environ):
        if name.startswith("COURSE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COURSE_HUB_STATE", str(tmp_path / "state"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = base if base is not None else Config()
    path = REPO / "jupyterhub_config.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: config, "__file__": str(path)})
    return config


def assert_options_exist(config: Config) -> None:
    for section, options in config.items():
        if section not in CLASSES:
            continue
        cls = resolve(CLASSES[section])
        known = cls.class_trait_names(config=True)
        unknown = sorted(set(options) - set(known))
        assert not unknown, f"{section} has no options {unknown}"


def assert_roles_name_real_services(config: Config) -> None:
    services = {svc["name"] for svc in config.JupyterHub.services}
    groups = set(config.JupyterHub.load_groups)
    for role in config.JupyterHub.load_roles:
        assert set(role.get("services", [])) <= services, role
        assert set(role.get("groups", [])) <= groups, role


def test_local_defaults_listen_on_8000_with_sqlite_and_the_python_proxy():
    s = Settings.from_env(REPO, env={})
    assert (s.mode, s.auth, s.ip, s.port, s.course_id) == ("local", "native", "127.0.0.1", 8000, "mlphys")
    assert s.state == REPO / ".state" and s.course_root == REPO


@pytest.mark.parametrize("auth", list(AUTHENTICATORS))
def test_docker_mode_with_each_authentication_switch(monkeypatch, tmp_path, auth):
    env = dict(COURSE_HUB_MODE="docker", COURSE_HUB_AUTH=auth, COURSE_PUBLIC_URL="https://hub.example.org",
               COURSE_HUB_DB_URL="postgresql://jupyterhub:pw@db/jupyterhub", COURSE_OAUTH_CLIENT_ID="client",
               COURSE_OAUTH_CLIENT_SECRET="secret", COURSE_OIDC_ISSUER="https://login.example.org/oidc",
               COURSE_GITHUB_ORGS="mlphys-course", COURSE_OIDC_ALLOWED_GROUPS="nbgrader-mlphys,formgrade-mlphys",
               COURSE_OIDC_ADMIN_GROUPS="formgrade-mlphys", COURSE_LTI13_ISSUER="https://lms.example.org",
               COURSE_LTI13_CLIENT_ID="lti-client", COURSE_LTI13_AUTHORIZE_URL="https://lms.example.org/auth",
               COURSE_LTI13_JWKS_URL="https://lms.example.org/jwks")
    config = load(monkeypatch, tmp_path, **env)
    assert_options_exist(config)
    assert_roles_name_real_services(config)
    assert config.JupyterHub.authenticator_class == AUTHENTICATORS[auth]
    assert config.JupyterHub.db_url == env["COURSE_HUB_DB_URL"]
    assert config.JupyterHub.tornado_settings == {"cookie_options": {"secure": True}}
    # the classes construct with these options (an identity provider is only contacted at login)
    name = {"native": "CourseAuthenticator", "github": "GitHubOAuthenticator", "oidc": "GenericOAuthenticator",
            "lti13": "LTI13Authenticator"}[auth]
    if auth != "native":  # NativeAuthenticator needs the hub's database; the real hub tests cover it
        authenticator = resolve(CLASSES[name])(config=config)
        assert authenticator.admin_users == {"instructor"}
        if auth in ("github", "oidc"):
            assert authenticator.client_id == "client"
            assert authenticator.oauth_callback_url == "https://hub.example.org/hub/oauth_callback"
        if auth == "oidc":
            assert authenticator.userdata_url == "https://login.example.org/oidc/userinfo"
            assert authenticator.manage_groups and authenticator.admin_groups == {"formgrade-mlphys"}
        if auth == "lti13":
            assert authenticator.client_id == {"lti-client"} and authenticator.issuer == "https://lms.example.org"


def test_docker_mode_spawns_the_student_image_with_limits(monkeypatch, tmp_path):
    config = load(monkeypatch, tmp_path, COURSE_HUB_MODE="docker")
    assert config.JupyterHub.spawner_class == "dockerspawner.DockerSpawner"
    from types import SimpleNamespace

    user = SimpleNamespace(name="ada", id=1, url="/user/ada/", base_url="/user/ada/")
    spawner = resolve(CLASSES["DockerSpawner"])(config=config, user=user)
    assert spawner.image == "mlphys-student:latest" and spawner.network_name == "mlphys"
    assert spawner.mem_limit == 2 * 1024**3 and spawner.cpu_limit == 1.0
    assert spawner.volumes == {"mlphys-home-{username}": "/home/jovyan"}, "one volume per user, nothing shared"
    assert config.JupyterHub.hub_connect_ip == "hub"
    names = {svc["name"] for svc in config.JupyterHub.services}
    assert names == {"exchange", "mlphys", "leaderboard", "course-admin", "idle-culler", "course-status"}


def test_kubernetes_mode_adds_to_the_charts_configuration(monkeypatch, tmp_path):
    chart = Config()
    chart.JupyterHub.services = [{"name": "cull-idle", "command": ["cull"]}]
    chart.JupyterHub.load_roles = [{"name": "cull-idle", "services": ["cull-idle"], "scopes": ["list:users"]}]
    config = load(monkeypatch, tmp_path, base=chart, COURSE_HUB_MODE="kubernetes")
    names = [svc["name"] for svc in config.JupyterHub.services]
    assert names[0] == "cull-idle" and "exchange" in names and "idle-culler" not in names
    # bwrap cannot run in the chart's hub pod (uid 1000, no capabilities): deploy/k8s/grader.yaml grades
    assert "grading-worker" not in names
    assert "spawner_class" not in config.JupyterHub, "the chart's KubeSpawner stays"
    assert "db_url" not in config.JupyterHub and "cleanup_servers" not in config.JupyterHub, "the chart's stay"
    assert config.KubeSpawner.mem_limit == "2G"
    assert_roles_name_real_services(config)


def test_roles_give_the_formgrader_to_instructors_only(monkeypatch, tmp_path):
    config = load(monkeypatch, tmp_path, COURSE_HUB_MODE="docker", COURSE_INSTRUCTORS="prof,ta")
    roles = {r["name"]: r for r in config.JupyterHub.load_roles}
    access = [name for name, role in roles.items() if "access:services!service=mlphys" in role["scopes"]]
    assert access == ["formgrade-mlphys"] and roles["formgrade-mlphys"]["groups"] == ["formgrade-mlphys"]
    assert config.JupyterHub.load_groups["formgrade-mlphys"] == {"users": ["prof", "ta"]}
    assert config.Authenticator.admin_users == {"prof", "ta"}
    assert not any(s.startswith("access:services!service=mlphys") for s in roles["user"]["scopes"] + roles["nbgrader-mlphys"]["scopes"])


@pytest.mark.parametrize("uri, redirected", [
    ("/services/mlphys/lab?formgrader=true", True), ("/services/mlphys/tree?formgrader=true", True),
    ("/services/mlphys/lab", False), ("/services/mlphys/lab/tree/x.ipynb", False), ("/user/ada/lab?formgrader=true", False),
])
def test_the_course_lists_formgrader_link_opens_the_formgrader_itself(uri, redirected):
    path, _, query = uri.partition("?")
    request = HTTPServerRequest(method="GET", uri=uri)
    assert (_FormgraderLink("/services/mlphys/").match(request) is not None) == redirected


def test_role_configs_enable_extensions_as_nbgraders_table_says():
    import json

    base = REPO / "course_lib" / "hub" / "jupyter_config"
    table = {  # nbgrader docs, "One Class, Multiple Graders": students, instructors, formgraders
        "assignment-list": (True, True, False), "formgrader": (False, False, True),
        "course-list": (False, True, False), "create-assignment": (False, False, True),
    }
    for column, role in enumerate(("student", "instructor", "formgrader")):
        disabled = json.loads((base / role / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
        server = json.loads((base / role / "jupyter_server_config.json").read_text())["ServerApp"]["jpserver_extensions"]
        for extension, enabled in table.items():
            assert disabled[f"@jupyter/nbgrader:{extension}"] is (not enabled[column]), (role, extension)
            module = f"nbgrader.server_extensions.{extension.replace('-', '_')}"
            if module in server:
                assert server[module] is enabled[column], (role, module)


def test_the_formgrader_is_served_with_the_platforms_content_security_policy():
    import json

    from course_lib.hub.csp import FORMGRADER

    config = json.loads((REPO / "course_lib/hub/jupyter_config/formgrader/jupyter_server_config.json").read_text())
    assert config["ServerApp"]["tornado_settings"]["headers"]["Content-Security-Policy"] == FORMGRADER
    assert "frame-ancestors 'none'" in FORMGRADER and "http" not in FORMGRADER  # no foreign origin anywhere
