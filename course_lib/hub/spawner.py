"""Spawning users' servers: one Unix account per hub user (local mode as root), and the per-role setup.

Hub user ``ada`` runs as the Unix account ``mlp-ada`` (the course's prefix). The prefix keeps
the hub's names apart from system accounts: nobody can sign up as ``root`` and get its
server. Accounts and their homes (mode 0700) are created on first start.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

from ..accounts import PREFIX

CONFIG_DIRS = Path(__file__).resolve().parent / "jupyter_config"
UNIX_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def unix_name(hub_name: str, prefix: str = PREFIX) -> str:
    name = prefix + hub_name
    if not UNIX_NAME.match(name):
        raise ValueError(f"hub user {hub_name!r} has no valid Unix account name ({name!r})")
    return name


def ensure_account(name: str, home_base: str = "/home") -> pwd.struct_passwd:
    """The Unix account ``name`` with a private home, created (as root) if it is missing."""
    try:
        account = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--home-dir", os.path.join(home_base, name),
                        "--shell", "/bin/bash", "--user-group", name], check=True, capture_output=True)
        account = pwd.getpwnam(name)
    home = Path(account.pw_dir)
    if not home.is_dir():  # accounts made by the command-line demo have no home yet
        home.mkdir(parents=True)
        os.chown(home, account.pw_uid, account.pw_gid)
    os.chmod(home, 0o700)
    return account


def role_config_path(role: str, base: Path = CONFIG_DIRS) -> str:
    """JUPYTER_CONFIG_PATH for a role: its extensions (per nbgrader's table), then the shared exchange config."""
    return os.pathsep.join([str(base / role), str(base / "common")])


class CourseLocalSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that runs hub user X as Unix account <prefix>X, creating it when needed."""

    unix_prefix = Unicode(PREFIX, help="Unix account of hub user X is <prefix>X").tag(config=True)
    home_base = Unicode("/home", help="Where new accounts get their homes").tag(config=True)

    @property
    def unix_name(self) -> str:
        return unix_name(self.user.name, self.unix_prefix)

    def make_preexec_fn(self, name):
        return set_user_setuid(self.unix_name)

    def user_env(self, env):
        account = pwd.getpwnam(self.unix_name)
        env["USER"] = env["LOGNAME"] = self.unix_name
        env["HOME"] = account.pw_dir
        env["SHELL"] = "/bin/bash"  # terminals need a shell even for accounts made with nologin
        return env

    async def start(self):
        await asyncio.get_running_loop().run_in_executor(None, ensure_account, self.unix_name, self.home_base)
        return await super().start()
