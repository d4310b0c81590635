"""jupyterhub_config.py under Zero to JupyterHub's own loader, as the chart's hub pod runs it.

The chart (version pinned in deploy/z2jh-values.yaml) mounts its jupyterhub_config.py and z2jh.py at
/usr/local/etc/jupyterhub/, the values (the chart's defaults with ours merged on top, plus Chart and
Release) as secret/values.yaml and the resource names as config/<name>; Kubernetes sets the
*_SERVICE_PORT variables. JupyterHub loads the chart's file, which runs hub.extraConfig in its own
namespace: our 00-course entry executes /srv/course/jupyterhub_config.py there. This test builds
exactly that file layout in a private mount namespace (bubblewrap binds it over
/usr/local/etc/jupyterhub, the repository over /srv/course and a scratch volume over /srv/data), loads
the configuration with JupyterHub's own loader and asserts what results.

The chart's files come from the chart's git repository at the pinned tag: Z2JH_CHART_GIT (a clone or
bare repository of jupyterhub/zero-to-jupyterhub-k8s) or the mirror under /work/.mirror; the test
skips, saying so, where neither is present. No cluster runs here: what a cluster would add (the
images, the network policies, the volume) is listed in the README as not run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import course_lib

from conftest import REPO

VALUES = REPO / "deploy" / "z2jh-values.yaml"
CHART_VERSION = re.search(r"version (\d+\.\d+\.\d+) pinned", VALUES.read_text()).group(1)
MIRROR = Path("/work/.mirror/jupyterhub+zero-to-jupyterhub-k8s/repo")
CHART_FILES = ("jupyterhub/files/hub/jupyterhub_config.py", "jupyterhub/files/hub/z2jh.py", "jupyterhub/values.yaml",
               "jupyterhub/Chart.yaml", "images/hub/requirements.txt")
# What Kubernetes gives the hub pod: the chart's resource names (fullnameOverride "") and Services' ports.
NAMES = {"hub": "hub", "proxy-api": "proxy-api", "proxy-public": "proxy-public", "singleuser": "singleuser",
         "user-scheduler": "user-scheduler", "priority": "priority", "image-pull-secret": "image-pull-secret"}
SERVICE_ENV = {"HUB_SERVICE_PORT": "8081", "PROXY_API_SERVICE_PORT": "8001", "PROXY_PUBLIC_SERVICE_PORT": "80",
               "POD_NAMESPACE": "mlphys", "HELM_RELEASE_NAME": "mlphys", "CONFIGPROXY_AUTH_TOKEN": "x" * 64}
DB_URL = "postgresql+psycopg2://jupyterhub:from-helm-set@postgres.mlphys.svc/jupyterhub"

LOADER = """
import json, sys
from jupyterhub.app import JupyterHub
app = JupyterHub()
app.load_config_file("/usr/local/etc/jupyterhub/jupyterhub_config.py")
c = app.config
def plain(value):
    return json.loads(json.dumps(value, default=str))
print("CONFIG-JSON " + json.dumps({
    "db_url": c.JupyterHub.get("db_url"), "cleanup_servers": c.JupyterHub.get("cleanup_servers"),
    "hub_connect_url": c.JupyterHub.get("hub_connect_url"), "spawner_class": c.JupyterHub.get("spawner_class"),
    "template_paths": c.JupyterHub.get("template_paths"), "services": plain(c.JupyterHub.get("services")),
    "roles": [r["name"] for r in c.JupyterHub.get("load_roles", [])],
    "cookie_secret_file": c.JupyterHub.get("cookie_secret_file"), "port": c.JupyterHub.get("port"),
    "upgrade_db_arg": None, "mem_limit": c.KubeSpawner.get("mem_limit"),
    "tornado_settings": plain(c.JupyterHub.get("tornado_settings")),
}))
"""


def chart_file(path: str) -> str:
    repo = Path(os.environ.get("Z2JH_CHART_GIT") or MIRROR)
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    if not (git_dir / "HEAD").exists():
        pytest.skip(f"the Zero to JupyterHub chart's repository is not here (set Z2JH_CHART_GIT to a clone of "
                    f"jupyterhub/zero-to-jupyterhub-k8s to run the chart's loader at {CHART_VERSION})")
    result = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{CHART_VERSION}:{path}"],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"chart {CHART_VERSION} has no {path}: {result.stderr}"
    return result.stdout


def merged(a: dict, b: dict) -> dict:
    """Helm's merge of user values onto the chart's defaults: mappings merge, everything else replaces."""
    out = dict(a)
    for key, value in b.items():
        out[key] = merged(a[key], value) if isinstance(a.get(key), dict) and isinstance(value, dict) else value
    return out


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    if not shutil.which("bwrap"):
        pytest.skip("bubblewrap is not installed (`make install` installs it)")
    files = {path: chart_file(path) for path in CHART_FILES}
    chart = yaml.safe_load(files["jupyterhub/Chart.yaml"])
    etc, data = tmp_path_factory.mktemp("z2jh-etc"), tmp_path_factory.mktemp("z2jh-data")
    for name in ("jupyterhub_config.py", "z2jh.py"):
        (etc / name).write_text(files[f"jupyterhub/files/hub/{name}"])
    values = merged(yaml.safe_load(files["jupyterhub/values.yaml"]), yaml.safe_load(VALUES.read_text()))
    values = merged(values, {"hub": {"db": {"url": DB_URL}}})  # helm --set hub.db.url=..., as the README says
    values["Chart"] = {"Name": chart["name"], "Version": CHART_VERSION, "AppVersion": chart["appVersion"]}
    values["Release"] = {"Name": "mlphys", "Namespace": "mlphys", "Service": "Helm"}
    (etc / "secret").mkdir()
    (etc / "secret" / "values.yaml").write_text(yaml.safe_dump(values))
    for key in ("hub.config.JupyterHub.cookie_secret", "hub.config.ConfigurableHTTPProxy.auth_token",
                "hub.config.CryptKeeper.keys"):  # what the chart's Secret generates
        (etc / "secret" / key).write_text(secrets.token_hex(32))
    (etc / "config").mkdir()
    for key, name in NAMES.items():
        (etc / "config" / key).write_text(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "JUPYTERHUB_"))}
    env.update(SERVICE_ENV)
    env.update({k: str(v) for k, v in values["hub"]["extraEnv"].items()})  # the chart's hub.extraEnv
    # tmpfs first: the mount points exist only inside the namespace, never on the machine
    cmd = ["bwrap", "--dev-bind", "/", "/", "--tmpfs", "/usr/local/etc", "--bind", str(etc), "/usr/local/etc/jupyterhub",
           "--tmpfs", "/srv", "--ro-bind", str(REPO), "/srv/course", "--bind", str(data), "/srv/data",
           "--unshare-pid", "--die-with-parent"] + ([] if os.geteuid() == 0 else ["--unshare-user"])
    result = subprocess.run(cmd + ["--", sys.executable, "-c", LOADER], capture_output=True, text=True, env=env,
                            cwd="/", timeout=300)
    assert result.returncode == 0, f"the chart's loader failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    line = next(l for l in result.stdout.splitlines() if l.startswith("CONFIG-JSON "))
    return {"config": json.loads(line[len("CONFIG-JSON "):]), "values": values, "data": data, "files": files,
            "output": result.stdout}


def test_the_chart_runs_our_extra_config(loaded):
    assert "Loading extra config: 00-course" in loaded["output"]
    config = loaded["config"]
    assert config["spawner_class"] == "kubespawner.KubeSpawner"
    assert {s["name"] for s in config["services"]} >= {"exchange", "mlphys", "leaderboard", "course-status"}


def test_the_repository_is_found_from_the_charts_namespace(loaded):
    # __file__ there is the chart's jupyterhub_config.py (/usr/local/etc/jupyterhub); the course is the one
    # installed in the image (/srv/course there; here the repository this venv installed)
    installed = Path(course_lib.__file__).resolve().parent.parent
    assert loaded["config"]["template_paths"] == [str(installed / "course_lib" / "hub" / "templates")]
    formgrader = next(s for s in loaded["config"]["services"] if s["name"] == "mlphys")
    assert all(p.startswith(str(installed / "course_lib" / "hub" / "jupyter_config"))
               for p in formgrader["environment"]["JUPYTER_CONFIG_PATH"].split(os.pathsep))


def test_the_charts_database_url_and_cleanup_are_kept(loaded):
    config = loaded["config"]
    assert config["db_url"] == DB_URL
    assert config["cleanup_servers"] is False  # the chart's: a hub restart leaves students' pods running
    assert config["cookie_secret_file"] is None  # the chart keeps the cookie secret in its k8s Secret
    assert config["hub_connect_url"] == "http://hub:8081"
    assert config["tornado_settings"].get("slow_spawn_timeout") == 0


def test_services_are_reachable_from_the_proxy_pod(loaded):
    values = loaded["values"]
    services = {s["name"]: s for s in loaded["config"]["services"] if s.get("url")}
    ports = {int(s["url"].rsplit(":", 1)[1]) for s in services.values()}
    assert all(s["url"].startswith("http://hub:") for s in services.values()), services
    assert all(s["environment"]["COURSE_SERVICE_BIND_IP"] == "0.0.0.0" for s in services.values() if "command" in s)
    assert ports == {p["port"] for p in values["hub"]["service"]["extraPorts"]}
    ingress = values["hub"]["networkPolicy"]["ingress"]
    assert any({"component": "proxy"} == src.get("podSelector", {}).get("matchLabels")
               and ports <= {p["port"] for p in rule["ports"]} for rule in ingress for src in rule["from"])
    egress = values["proxy"]["chp"]["networkPolicy"]["egress"]
    assert any(ports <= {p["port"] for p in rule["ports"]} for rule in egress)


def test_grading_runs_in_its_own_pod_not_in_the_hub(loaded):
    assert "grading-worker" not in {s["name"] for s in loaded["config"]["services"]}
    assert "jupyterhub-idle-culler" in {s["name"] for s in loaded["config"]["services"]}  # the chart's culler
    grader = yaml.safe_load((REPO / "deploy" / "k8s" / "grader.yaml").read_text())
    container = grader["spec"]["template"]["spec"]["containers"][0]
    assert set(container["securityContext"]["capabilities"]["add"]) == {"SYS_ADMIN", "NET_ADMIN"}
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/srv/data" not in mounts and "/srv/data/state" not in mounts, "the grader must not see the hub's state"


def test_course_data_is_on_the_declared_volume(loaded):
    values, data = loaded["values"], loaded["data"]
    pvc = yaml.safe_load((REPO / "deploy" / "k8s" / "course-data-pvc.yaml").read_text())
    claims = {v["persistentVolumeClaim"]["claimName"] for v in values["hub"]["extraVolumes"]}
    assert claims == {pvc["metadata"]["name"]}
    assert {m["mountPath"] for m in values["hub"]["extraVolumeMounts"]} == {"/srv/data"}
    for folder in ("state/hub/tokens", "submitted", "autograded", "feedback", ".secrets", "gradebook"):
        assert (data / folder).is_dir(), folder
    assert (data / "grader-token" / "formgrader.token").read_text().strip()
    hub_docker = (REPO / "docker" / "k8s-hub.Dockerfile").read_text()
    for folder in ("submitted", "autograded", "feedback", ".secrets"):
        assert f"for d in submitted autograded feedback .secrets" in hub_docker, folder


def test_chart_version_and_hub_image_agree(loaded):
    files = loaded["files"]
    dockerfile = (REPO / "docker" / "k8s-hub.Dockerfile").read_text()
    assert f"ARG BASE_IMAGE=quay.io/jupyterhub/k8s-hub:{CHART_VERSION}" in dockerfile
    chart_hub = re.search(r"^jupyterhub==([\d.]+)$", files["images/hub/requirements.txt"], re.M).group(1)
    ours = re.search(r"^jupyterhub==([\d.]+)$", (REPO / "requirements.lock").read_text(), re.M).group(1)
    if chart_hub != ours:  # the image moves JupyterHub: the schema must be upgraded on start
        assert loaded["values"]["hub"]["db"]["upgrade"] is True
    readme = (REPO / "README.md").read_text()
    assert f"--version {CHART_VERSION}" in readme
