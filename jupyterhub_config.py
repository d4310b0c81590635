"""JupyterHub configuration for the course: one file for every deployment mode.

For now this is the local mode's skeleton (hub on 127.0.0.1:8000, state in .state/);
the hub milestone adds authentication, roles, the formgrader service and the modes.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
course_root = Path(__file__).resolve().parent
state = course_root / ".state"
state.mkdir(exist_ok=True)

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = 8000
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
