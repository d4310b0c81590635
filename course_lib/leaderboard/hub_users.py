"""The hub's user names, asked of the hub's API when a student chooses a pseudonym (so that no
pseudonym can be a user name, whoever was added since). Needs the service's ``list:users`` scope."""

from __future__ import annotations

import os

import requests


class HubUnavailable(RuntimeError):
    """The hub did not list its users; a pseudonym cannot be checked now."""


def hub_user_names(api_url: str | None = None, token: str | None = None) -> list[str]:
    """Every hub user's name (all pages of ``GET /users``)."""
    api_url = (api_url or os.environ.get("JUPYTERHUB_API_URL", "")).rstrip("/")
    token = token or os.environ.get("JUPYTERHUB_API_TOKEN", "")
    if not api_url or not token:
        raise HubUnavailable("the leaderboard does not know the hub's API (JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN)")
    names, offset = [], 0
    headers = {"Authorization": f"token {token}", "Accept": "application/jupyterhub-pagination+json"}
    while True:
        try:
            response = requests.get(f"{api_url}/users", params={"offset": offset, "limit": 200}, headers=headers, timeout=30)
        except requests.RequestException as exc:
            raise HubUnavailable(f"the hub cannot be reached: {exc}") from exc
        if response.status_code != 200:
            raise HubUnavailable(f"the hub did not list its users ({response.status_code})")
        page = response.json()
        items = page.get("items", []) if isinstance(page, dict) else page
        names += [user["name"] for user in items if user.get("name")]
        following = (page.get("_pagination") or {}).get("next") if isinstance(page, dict) else None
        if not following or not items:
            return names
        offset = following.get("offset", offset + len(items))
