"""Real Unix accounts for students: nbgrader (and the hub as root) identify students by their OS user."""

from __future__ import annotations

import os
import pwd
import subprocess

PREFIX = "mlp-"


class AccountsUnavailable(RuntimeError):
    """Creating accounts needs root; callers decide how to do without."""


def ensure_user(name: str) -> pwd.struct_passwd:
    """Create the system account ``name`` once (no login shell, no home of its own)."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    if os.geteuid() != 0:
        raise AccountsUnavailable(f"creating the student account {name!r} needs root")
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return pwd.getpwnam(name)


def as_user(name: str, cmd: list[str]) -> list[str]:
    """Wrap a command so that it runs as the given account with its own groups."""
    account = ensure_user(name)
    return ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--init-groups", "--", *cmd]


def chown_tree(path, name: str) -> None:
    account = ensure_user(name)
    for root, dirs, files in os.walk(path):
        for entry in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
            os.chown(entry, account.pw_uid, account.pw_gid)
