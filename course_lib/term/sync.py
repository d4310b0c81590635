"""Hand the course's ``policies/`` folder to the exchange, which enforces it.

The exchange keeps its own copy (it cannot read the course root: in a real deployment it runs
as an account of its own). The hub's course-status service pushes after every change; an
instructor can push by hand with ``course deadlines --push``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import quote

import requests

from ..hub.archive import pack_files
from .policy import load_policies


def policy_files(folder: Path) -> dict[str, bytes]:
    """The policy files, after checking they load (a broken file is reported, never pushed)."""
    load_policies(folder)
    return {p.name: p.read_bytes() for p in sorted(Path(folder).glob("*.toml"))} if Path(folder).is_dir() else {}


def fingerprint(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def exchange_settings(url: str | None = None, token: str | None = None) -> tuple[str, str]:
    url = url or os.environ.get("COURSE_EXCHANGE_URL", "")
    token = token or os.environ.get("COURSE_EXCHANGE_TOKEN") or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not url or not token:
        raise ValueError("the exchange is not configured: set COURSE_EXCHANGE_URL and COURSE_EXCHANGE_TOKEN "
                         "(an instructor's or the formgrader's hub token)")
    return url.rstrip("/"), token


def push(folder: Path, course: str, url: str | None = None, token: str | None = None) -> list[str]:
    url, token = exchange_settings(url, token)
    files = policy_files(folder)
    response = requests.put(f"{url}/api/courses/{quote(course, safe='')}/policies", data=pack_files(files),
                            headers={"Authorization": f"token {token}", "Content-Type": "application/gzip"}, timeout=60)
    if response.status_code != 200:
        try:
            message = response.json().get("error") or response.reason
        except ValueError:
            message = response.reason
        raise ValueError(f"the exchange refused the policies: {response.status_code} {message}")
    return response.json()["policies"]
