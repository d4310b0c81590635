"""JupyterHub configuration for the course: one file for every deployment mode.

`make run` (``course hub``) starts it with the demo course; `jupyterhub -f jupyterhub_config.py`
starts it on its own. Everything is chosen by environment variables (README, "Deployment modes"):

==========================  ====================================================================
COURSE_HUB_MODE             ``local`` (default): SQLite, local processes, Python proxy. As root,
                            every hub user X runs as Unix account ``mlp-X``; otherwise a
                            single-account demo. ``docker``: DockerSpawner + PostgreSQL (see
                            docker-compose.yml). ``kubernetes``: inside Zero to JupyterHub
                            (deploy/z2jh-values.yaml); the chart sets spawner, proxy and database.
COURSE_HUB_AUTH             ``native`` (default: sign-up, instructors approve), ``github``,
                            ``oidc`` (any OpenID Connect provider, e.g. the university's),
                            ``lti13`` (launch from the LMS)
COURSE_ID, COURSE_ROOT      the course (default ``mlphys``, this folder)
COURSE_INSTRUCTORS          hub users who teach (comma-separated; default ``instructor``):
                            hub admins, members of ``formgrade-<course>``
COURSE_HUB_STATE            the hub's state folder (default ``.state/``)
COURSE_HUB_IP / _PORT       where the hub listens (127.0.0.1:8000; 0.0.0.0 in docker)
COURSE_PUBLIC_URL           the public https URL behind a reverse proxy (OAuth callbacks, cookies)
COURSE_HUB_DB_URL           the hub database (default SQLite in the state folder)
COURSE_IDLE_TIMEOUT         seconds before an idle server is stopped (3600)
COURSE_MEM_LIMIT / _CPU_    per-user limits where the spawner enforces them (docker: 2G, 1.0)
COURSE_DEMO_ACCOUNTS        JSON file {user: password} of demo accounts (``course hub`` writes it)
==========================  ====================================================================

Roles and groups (one course; repeat per course for several): ``nbgrader-<course>`` are the
students, ``formgrade-<course>`` the instructors. The formgrader is the hub service named
``<course>``, which only ``formgrade-<course>`` may open; it shows in a tab of its own. The course
exchange (service ``exchange``) receives and stores submissions; see course_lib/hub/.
"""

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

if "c" not in globals():  # JupyterHub's loader and Zero to JupyterHub's (hub.extraConfig) both provide `c`
    c = get_config()  # noqa: F821


def _repository() -> Path:
    """This repository. Zero to JupyterHub runs this file in the namespace of its own configuration file,
    so ``__file__`` is the chart's; there the course is the one its image installed (``pip install -e``)."""
    here = Path(__file__).resolve().parent
    if (here / "course_lib" / "hub").is_dir():
        return here
    import course_lib

    return Path(course_lib.__file__).resolve().parent.parent


repo = _repository()
if str(repo) not in sys.path:
    sys.path.insert(0, str(repo))

from course_lib.hub.hubconfig import (  # noqa: E402
    INSTRUCTOR_GROUP, STUDENT_GROUP, Settings, course_grader, ensure_system_account, make_pre_spawn_hook,
    private_dir, protect_course, secret_file,
)
from course_lib.hub.runtime import SYSTEM_BINS, user_runtime  # noqa: E402

s = Settings.from_env(repo)
course, students_group, instructors_group = s.course_id, STUDENT_GROUP.format(s.course_id), INSTRUCTOR_GROUP.format(s.course_id)
python = sys.executable
bin_dir = Path(python).parent

# ---------------------------------------------------------------- state, secrets, the hub itself
os.umask(0o022)
s.state.mkdir(parents=True, exist_ok=True)
os.chmod(s.state, 0o711)  # traversable (the exchange account reaches its folder), never listable
private_dir(s.hub_dir)
tokens = {name: secret_file(s.hub_dir / "tokens" / f"{name}.token")
          for name in ("formgrader", "exchange", "idle-culler", "leaderboard", "course-admin", "course-status")}
os.chmod(s.hub_dir / "tokens", 0o700)
grader_token_dir = os.environ.get("COURSE_GRADER_TOKEN_DIR")
if grader_token_dir:  # docker-compose: the grader container gets this token alone, never the hub's state
    shared = Path(grader_token_dir) / "formgrader.token"
    shared.parent.mkdir(parents=True, exist_ok=True)
    partial = shared.with_suffix(".partial")
    partial.write_text(tokens["formgrader"])
    os.chmod(partial, 0o600)
    os.replace(partial, shared)  # the grader, waiting for the file, never reads half of it

if s.mode != "kubernetes":  # the chart sets the proxy's port, the cookie secret, the database and cleanup_servers
    c.JupyterHub.ip = s.ip
    c.JupyterHub.port = s.port
    c.JupyterHub.cookie_secret_file = str(s.hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.db_url = s.db_url or f"sqlite:///{s.hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cleanup_servers = True  # Ctrl-C stops every server and service with the hub
elif s.db_url:
    c.JupyterHub.db_url = s.db_url  # otherwise hub.db.url / hub.db.type of the chart's values
c.JupyterHub.template_paths = [str(repo / "course_lib" / "hub" / "templates")]
c.JupyterHub.template_vars = {"course_id": course, "course_title": f"Machine Learning for Physicists ({course})"}
if s.public_url.startswith("https://"):
    c.JupyterHub.tornado_settings = {  # behind an HTTPS reverse proxy; the chart's own settings stay
        **(c.JupyterHub.tornado_settings if "tornado_settings" in c.JupyterHub else {}), "cookie_options": {"secure": True}}
c.Spawner.default_url = "/lab"


def landing_page(handler):
    """Instructors land on the hub's home page (the course panel links the formgrader); students in JupyterLab."""
    user = handler.current_user
    if user is None or instructors_group in {g.name for g in user.groups}:
        return handler.hub.base_url + "home"
    return handler.hub.base_url + "spawn"  # starts the server if needed, then opens it


c.JupyterHub.default_url = landing_page
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Servers and services keep JupyterHub's own Content-Security-Policy (frame-ancestors 'none'):
# no page of one user may frame another's. The formgrader therefore opens in its own tab.

# ---------------------------------------------------------------- where the course lives
if s.mode == "local" and s.is_root:
    # Users' servers run as their own accounts: course files must not be readable by them.
    protect_course(s.course_root)
    if s.course_root != repo:
        protect_course(repo)  # the repository holds the same sources, tests and their git history
# As root, each service gets its own account: the exchange's storage is readable by the exchange
# alone, and the formgrader, the course pages and the grading worker run as the course's grader
# account: its owner, or <course>-grader for a course owned by root (COURSE_GRADER_USER to choose another).
accounts = {"exchange": None, "formgrader": None, "leaderboard": None, "idle-culler": None}
if s.mode == "local" and s.is_root:
    accounts["exchange"] = ensure_system_account(os.environ.get("COURSE_EXCHANGE_USER", "course-exchange")).pw_name
    accounts["leaderboard"] = ensure_system_account(os.environ.get("COURSE_LEADERBOARD_USER", "course-leaderboard")).pw_name
    accounts["idle-culler"] = "nobody"
    grader = course_grader(s, log=lambda message: print(message, file=sys.stderr))
    accounts["formgrader"] = grader if grader != "root" else None
private_dir(s.exchange_dir, owner=pwd.getpwnam(accounts["exchange"]).pw_uid if accounts["exchange"] else None)
formgrader_home = private_dir(s.state / "formgrader-home",
                              owner=pwd.getpwnam(accounts["formgrader"]).pw_uid if accounts["formgrader"] else None)
leaderboard_dir = private_dir(s.state / "leaderboard",  # its database (SQLite) and the entries' copies
                              owner=pwd.getpwnam(accounts["leaderboard"]).pw_uid if accounts["leaderboard"] else None)


def run_as(service):
    return {"user": accounts[service]} if accounts[service] else {}


# The Python that users' servers and the services' own accounts run (course_lib/hub/runtime.py).
runtime_bin = user_runtime(s.state) if s.mode == "local" and s.is_root else bin_dir

grader_python = str(runtime_bin / "python3") if accounts["formgrader"] else python  # the grader's services

# ---------------------------------------------------------------- the mode
internal_host = "127.0.0.1"  # where users' servers reach the hub's proxy (containers: the hub's hostname)
if s.mode == "local":
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = s.hub_api_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    c.ConfigurableHTTPProxy.command = [str(bin_dir / "configurable-http-proxy")]  # the Python one, pinned
    c.Spawner.cmd = [str(runtime_bin / "jupyterhub-singleuser")]
    c.Spawner.environment = {"PATH": f"{runtime_bin}{os.pathsep}{SYSTEM_BINS}"}
    c.LocalProcessSpawner.popen_kwargs = {"stdin": subprocess.DEVNULL}  # a server never waits on the terminal
    if s.is_root:
        c.JupyterHub.spawner_class = "course_lib.hub.spawner.CourseLocalSpawner"
        # Hub user X is Unix account mlp-X (COURSE_UNIX_PREFIX), so names must make valid account names.
        c.CourseLocalSpawner.unix_prefix = os.environ.get("COURSE_UNIX_PREFIX", "mlp-")
        c.Authenticator.username_pattern = rf"^[a-z][a-z0-9_-]{{0,{31 - len(c.CourseLocalSpawner.unix_prefix)}}}$"
    else:
        c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
        c.SimpleLocalProcessSpawner.home_dir_template = str(s.state / "homes" / "{username}")
        private_dir(s.state / "homes")
        c.JupyterHub.template_vars["announcement"] = (
            "Single-account demo: the hub is not running as root, so every user's server runs as "
            f"the Unix account <code>{os.environ.get('USER', 'you')}</code> and users are <strong>not isolated</strong> "
            "from each other or from the course files. Run it as root for a real course."
        )
elif s.mode == "docker":
    c.JupyterHub.hub_ip = "0.0.0.0"
    c.JupyterHub.hub_connect_ip = os.environ.get("COURSE_HUB_HOSTNAME", "hub")
    c.JupyterHub.hub_port = s.hub_api_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    c.ConfigurableHTTPProxy.command = [str(bin_dir / "configurable-http-proxy")]
    c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
    c.DockerSpawner.image = os.environ.get("COURSE_STUDENT_IMAGE", "mlphys-student:latest")
    c.DockerSpawner.network_name = os.environ.get("COURSE_DOCKER_NETWORK", "mlphys")
    c.DockerSpawner.remove = True  # containers are cattle; the work is in the volume
    c.DockerSpawner.notebook_dir = "/home/jovyan"
    c.DockerSpawner.volumes = {f"{course}-home-{{username}}": "/home/jovyan"}  # one volume per user, nothing shared
    c.DockerSpawner.mem_limit = s.mem_limit
    c.DockerSpawner.cpu_limit = s.cpu_limit
    c.DockerSpawner.extra_host_config = {"pids_limit": 512}
    c.DockerSpawner.cmd = ["jupyterhub-singleuser"]
    internal_host = c.JupyterHub.hub_connect_ip
else:  # kubernetes: Zero to JupyterHub's own config has set spawner, proxy, database and ports
    c.KubeSpawner.mem_limit = s.mem_limit
    c.KubeSpawner.cpu_limit = s.cpu_limit
    internal_host = os.environ.get("COURSE_HUB_HOSTNAME", "hub")
    # The course's data on the volume the chart mounts (COURSE_DATA_DIR, deploy/k8s/): the hub image links
    # the course's submitted/, autograded/, feedback/ and .secrets/ to these folders.
    if os.environ.get("COURSE_DATA_DIR"):
        data_dir = Path(os.environ["COURSE_DATA_DIR"])
        for folder in ("submitted", "autograded", "feedback", ".secrets", "gradebook", "grader-token"):
            private_dir(data_dir / folder, 0o700 if folder in (".secrets", "grader-token") else 0o755)

# Services listen on 127.0.0.1 beside the hub (local, docker: the hub's container holds the proxy). On
# Kubernetes the proxy is a pod of its own: services listen on every interface of the hub's pod and are
# reached at http://hub:PORT (hub.service.extraPorts and hub.networkPolicy.ingress in deploy/z2jh-values.yaml).
service_host = internal_host if s.mode == "kubernetes" else "127.0.0.1"
service_bind = {"COURSE_SERVICE_BIND_IP": "0.0.0.0"} if s.mode == "kubernetes" else {}

# Users' servers reach the exchange directly (local) or through the hub's proxy (containers).
exchange_direct = f"http://127.0.0.1:{s.port_of('exchange')}/services/exchange"
exchange_url = os.environ.get("COURSE_EXCHANGE_URL") or (
    exchange_direct if s.mode == "local" else
    f"http://{internal_host}:{s.port}/services/exchange" if s.mode == "docker" else "http://proxy-public/services/exchange")
config_base = os.environ.get("COURSE_STUDENT_CONFIG_DIR")  # inside the student image, for containers
if s.mode != "local" and not config_base:
    config_base = "/srv/course/course_lib/hub/jupyter_config"
c.Spawner.pre_spawn_hook = make_pre_spawn_hook(s, exchange_url, config_base)

# ---------------------------------------------------------------- authentication
c.Authenticator.admin_users = set(s.instructors)
if s.auth == "native":
    c.JupyterHub.authenticator_class = "course_lib.hub.auth.CourseAuthenticator"
    c.Authenticator.allow_all = True  # NativeAuthenticator lets in only accounts an admin approved
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 60
    c.CourseAuthenticator.demo_accounts_file = s.demo_accounts
elif s.auth == "github":
    c.JupyterHub.authenticator_class = "github"
    c.GitHubOAuthenticator.client_id = os.environ.get("COURSE_OAUTH_CLIENT_ID", "")
    c.GitHubOAuthenticator.client_secret = os.environ.get("COURSE_OAUTH_CLIENT_SECRET", "")
    c.GitHubOAuthenticator.oauth_callback_url = f"{s.public_url.rstrip('/')}/hub/oauth_callback"
    c.GitHubOAuthenticator.allowed_organizations = set(filter(None, os.environ.get("COURSE_GITHUB_ORGS", "").split(",")))
elif s.auth == "oidc":
    issuer = os.environ.get("COURSE_OIDC_ISSUER", "").rstrip("/")
    c.JupyterHub.authenticator_class = "generic-oauth"
    c.GenericOAuthenticator.login_service = os.environ.get("COURSE_OIDC_NAME", "University login")
    c.GenericOAuthenticator.client_id = os.environ.get("COURSE_OAUTH_CLIENT_ID", "")
    c.GenericOAuthenticator.client_secret = os.environ.get("COURSE_OAUTH_CLIENT_SECRET", "")
    c.GenericOAuthenticator.oauth_callback_url = f"{s.public_url.rstrip('/')}/hub/oauth_callback"
    c.GenericOAuthenticator.authorize_url = os.environ.get("COURSE_OIDC_AUTHORIZE_URL", f"{issuer}/authorize")
    c.GenericOAuthenticator.token_url = os.environ.get("COURSE_OIDC_TOKEN_URL", f"{issuer}/token")
    c.GenericOAuthenticator.userdata_url = os.environ.get("COURSE_OIDC_USERDATA_URL", f"{issuer}/userinfo")
    c.GenericOAuthenticator.scope = ["openid", "profile", "email"]
    c.GenericOAuthenticator.username_claim = os.environ.get("COURSE_OIDC_USERNAME_CLAIM", "preferred_username")
    allowed = set(filter(None, os.environ.get("COURSE_OIDC_ALLOWED_GROUPS", "").split(",")))
    admins = set(filter(None, os.environ.get("COURSE_OIDC_ADMIN_GROUPS", "").split(",")))
    if allowed or admins:
        # The provider's groups become the hub's: name them nbgrader-<course> / formgrade-<course> there.
        c.GenericOAuthenticator.manage_groups = True
        c.GenericOAuthenticator.auth_state_groups_key = "oauth_user." + os.environ.get("COURSE_OIDC_GROUPS_CLAIM", "groups")
        c.GenericOAuthenticator.allowed_groups = allowed
        c.GenericOAuthenticator.admin_groups = admins
    else:
        c.GenericOAuthenticator.allow_all = os.environ.get("COURSE_OAUTH_ALLOW_ALL") == "1"
    c.GenericOAuthenticator.enable_pkce = True
else:  # lti13: the LMS launches the hub; register the tool with <public url>/hub/lti13/config
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = os.environ.get("COURSE_LTI13_ISSUER", "")
    c.LTI13Authenticator.client_id = set(filter(None, os.environ.get("COURSE_LTI13_CLIENT_ID", "").split(",")))
    c.LTI13Authenticator.authorize_url = os.environ.get("COURSE_LTI13_AUTHORIZE_URL", "")
    c.LTI13Authenticator.jwks_endpoint = os.environ.get("COURSE_LTI13_JWKS_URL", "")
    c.LTI13Authenticator.username_key = os.environ.get("COURSE_LTI13_USERNAME_KEY", "email")
    c.LTI13Authenticator.allow_all = True  # whoever the LMS launches is in the course

# ---------------------------------------------------------------- groups and roles
demo_students = []
if s.demo_accounts and Path(s.demo_accounts).is_file():
    demo_students = [name for name in json.loads(Path(s.demo_accounts).read_text()) if name not in s.instructors]


def extended(name, ours):
    """Add to what an outer configuration (Zero to JupyterHub's) has set already, instead of replacing it."""
    existing = c.JupyterHub[name] if name in c.JupyterHub else None
    if isinstance(ours, dict):
        return {**(existing or {}), **ours}
    return list(existing or []) + ours


c.JupyterHub.load_groups = extended("load_groups", {
    instructors_group: {"users": s.instructors},
    students_group: {"users": demo_students},
})
c.JupyterHub.load_roles = extended("load_roles", [
    {"name": "user", "scopes": ["self", "access:services!service=exchange", "access:services!service=leaderboard",
                                "access:services!service=course-status"]},
    # A server's token may read its owner's groups (nbgrader's course list) and nothing more.
    {"name": "server", "scopes": ["users:activity!user", "access:servers!server", "read:users:groups!user",
                                  "read:users:name!user", "list:services", "read:services"]},
    {"name": f"{students_group}", "groups": [students_group], "scopes": ["list:services", "read:services!service=leaderboard"]},
    {"name": f"{instructors_group}", "groups": [instructors_group],
     "scopes": [f"access:services!service={course}", "list:services", f"read:services!service={course}",
                "read:services!service=exchange"]},
    # The formgrader adds students to the course group (nbgrader's JupyterHubAuthPlugin).
    {"name": f"formgrader-{course}", "services": [course],
     "scopes": ["list:users", "read:users", "read:groups", "list:groups", f"groups!group={students_group}", "list:services", "read:services"]},
    # read:users gives an account's creation time (a new account of a deleted user's name is another
    # account); list:users lets the exchange archive what deleted accounts left.
    {"name": "exchange", "services": ["exchange"], "scopes": ["read:users", "list:users"]},
    # The admin's API token (.state/hub/tokens/course-admin.token, readable by the hub's account only).
    {"name": "course-admin", "services": ["course-admin"], "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "list:services", "read:services"]},
    {"name": "idle-culler", "services": ["idle-culler"], "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    # list:users: a chosen pseudonym is checked against every hub user name
    {"name": "leaderboard", "services": ["leaderboard"], "scopes": ["read:users:groups", "read:users:name", "list:users"]},
    {"name": "course-status", "services": ["course-status"], "scopes": ["read:users:groups", "read:users:name"]},
])

# ---------------------------------------------------------------- services
service_env = {"COURSE_ID": course, "COURSE_ROOT": str(s.course_root), "PYTHONUNBUFFERED": "1", **service_bind,
               **{k: os.environ[k] for k in ("COURSE_CLOCK",) if os.environ.get(k)}}  # an exam rehearsal's clock
# the exchange's limits and quotas (course_lib/hub/exchange_service.py), as the instructor sets them
exchange_limits = {k: v for k, v in os.environ.items() if k in (
    "COURSE_EXCHANGE_MAX_MB", "COURSE_EXCHANGE_MAX_ENTRIES", "COURSE_EXCHANGE_QUOTA_MB",
    "COURSE_EXCHANGE_MAX_SUBMISSIONS", "COURSE_EXCHANGE_SWEEP_SECONDS")}
services = [
    {   # the course exchange: receives, stamps and keeps submissions (course_lib/hub/exchange_service.py)
        "name": "exchange",
        "url": f"http://{service_host}:{s.port_of('exchange')}",
        "api_token": tokens["exchange"],
        "command": [str(runtime_bin / "python3"), "-m", "course_lib.hub.exchange_service", "--root", str(s.exchange_dir)],
        # challenge submissions are handed on to the leaderboard (course_lib/hub/challenge_intake.py)
        "environment": {**service_env, **exchange_limits,
                        "COURSE_LEADERBOARD_URL": f"http://127.0.0.1:{s.port_of('leaderboard')}/services/leaderboard"},
        "display": False,
        **run_as("exchange"),
    },
    {   # the formgrader of the course, as nbgrader's docs run it: a Jupyter server in the course root
        "name": course,
        "url": f"http://{service_host}:{s.port_of('formgrader')}",
        "api_token": tokens["formgrader"],
        "command": [str((runtime_bin if accounts["formgrader"] else bin_dir) / "jupyterhub-singleuser"),
                    f"--ServerApp.root_dir={s.course_root}"]
                   + (["--ServerApp.ip=0.0.0.0"] if service_bind else [])
                   + (["--allow-root"] if s.is_root and not accounts["formgrader"] else []),
        "cwd": str(s.course_root),
        "environment": {
            **service_env,
            "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            "COURSE_EXCHANGE_URL": exchange_direct,
            "JUPYTER_CONFIG_PATH": os.pathsep.join(str(repo / "course_lib" / "hub" / "jupyter_config" / d) for d in ("formgrader", "common")),
            "HOME": str(formgrader_home),
        },
        "oauth_no_confirm": True,
        "info": {"description": f"formgrader of {course} (instructors)"},
        **run_as("formgrader"),
    },
    {   # the challenge leaderboard: boards, plots, CSV, and the scoring worker (course_lib/leaderboard/web.py)
        "name": "leaderboard",
        "url": f"http://{service_host}:{s.port_of('leaderboard')}",
        "api_token": tokens["leaderboard"],
        "command": os.environ.get("COURSE_LEADERBOARD_COMMAND", f"{runtime_bin / 'python3'} -m course_lib.leaderboard.web").split(),
        "environment": {**service_env, "COURSE_LEADERBOARD_DIR": str(leaderboard_dir), "HOME": str(leaderboard_dir),
                        "MPLCONFIGDIR": str(leaderboard_dir / ".matplotlib"),
                        # the instructor's settings of course_lib/leaderboard/config.py pass through
                        **{k: v for k, v in os.environ.items() if k.startswith("COURSE_LEADERBOARD_") and k not in (
                            "COURSE_LEADERBOARD_USER", "COURSE_LEADERBOARD_COMMAND", "COURSE_LEADERBOARD_DIR")}},
        "info": {"description": "challenge leaderboards"},
        "oauth_no_confirm": True,
        **run_as("leaderboard"),
    },
    {   # deadlines, exam countdown, admission, extensions (course_lib/hub/course_pages.py); it hands
        # the course's policies/ to the exchange and runs as the course's owner, like the formgrader
        "name": "course-status",
        "url": f"http://{service_host}:{s.port_of('course-status')}",
        "api_token": tokens["course-status"],
        "command": [grader_python, "-m", "course_lib.hub.course_pages"],
        "cwd": str(s.course_root),
        "environment": {**service_env, "COURSE_EXCHANGE_URL": exchange_direct, "COURSE_EXCHANGE_TOKEN": tokens["formgrader"],
                        "HOME": str(formgrader_home)},
        "info": {"description": "deadlines, exam time and admission"},
        "oauth_no_confirm": True,
        **run_as("formgrader"),
    },
    {   # the grading worker for practice exams (course_lib/hub/worker.py): collects, grades and releases
        # feedback within a minute; homework stays the instructor's (docker-compose's grader does all)
        "name": "grading-worker",
        "command": [grader_python, "-m", "course_lib.hub.worker", "--kinds", os.environ.get("COURSE_WORKER_KINDS", "practice")],
        "cwd": str(s.course_root),
        "environment": {**service_env, "COURSE_EXCHANGE_URL": exchange_direct, "COURSE_EXCHANGE_TOKEN": tokens["formgrader"],
                        "HOME": str(formgrader_home), "COURSE_WORKER_INTERVAL": os.environ.get("COURSE_WORKER_INTERVAL", "20")},
        "display": False,
        **run_as("formgrader"),
    },
    {   # no process: the token of .state/hub/tokens/course-admin.token, for the admin's scripts
        "name": "course-admin",
        "api_token": tokens["course-admin"],
    },
    {   # stop servers idle for COURSE_IDLE_TIMEOUT seconds
        "name": "idle-culler",
        "api_token": tokens["idle-culler"],
        "command": [str(runtime_bin / "python3"), "-m", "jupyterhub_idle_culler", f"--timeout={s.idle_timeout}", "--cull-every=300"],
        **run_as("idle-culler"),
    },
]
if s.mode != "local":  # docker-compose and Kubernetes run the worker in a container of its own, which
    # may create bubblewrap's namespaces (docker-compose.yml's grader, deploy/k8s/grader.yaml)
    services = [svc for svc in services if svc["name"] != "grading-worker"]
if s.mode == "kubernetes":  # the chart runs its own culler (cull.timeout in deploy/z2jh-values.yaml)
    services = [svc for svc in services if svc["name"] != "idle-culler"]
    c.JupyterHub.load_roles = [r for r in c.JupyterHub.load_roles if r["name"] != "idle-culler"]
c.JupyterHub.services = extended("services", services)
