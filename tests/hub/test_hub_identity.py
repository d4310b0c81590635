"""Identity changes count at once for the exchange, through the real hub and its proxy: a revoked
token, a student taken out of the course group and a deleted user cannot submit one second later,
and a new account of a deleted user's name never sees the old account's work."""

from __future__ import annotations

import time

import pytest
import requests

from course_lib.hub.archive import pack_files

COURSE = "mlphys"


def submit(hub, token: str) -> requests.Response:
    return requests.post(f"{hub.exchange_url}/api/courses/{COURSE}/assignments/lecture01/submissions", timeout=60,
                         headers={"Authorization": f"token {token}", "Content-Type": "application/gzip"},
                         data=pack_files({"lecture01.ipynb": b'{"cells": []}'}))


def listed(hub, token: str, **params) -> list[dict]:
    response = requests.get(f"{hub.exchange_url}/api/courses/{COURSE}/submissions", params=params, timeout=60,
                            headers={"Authorization": f"token {token}"})
    assert response.status_code == 200, response.text
    return response.json()


def new_student(hub, user: str) -> tuple[str, str]:
    """A fresh hub user in the course; returns (token, token id)."""
    if hub.api("GET", f"users/{user}", expect=None).status_code == 200:
        hub.api("DELETE", f"users/{user}")
    hub.ensure_user(user)
    model = hub.api("POST", f"users/{user}/tokens", json={"note": "identity test", "expires_in": 600}).json()
    return model["token"], model["id"]


def test_a_revoked_token_cannot_submit_a_second_later(hub):
    token, token_id = new_student(hub, "idrevoked")
    assert submit(hub, token).status_code == 201
    hub.api("DELETE", f"users/idrevoked/tokens/{token_id}")
    time.sleep(1)
    refused = submit(hub, token)
    assert refused.status_code == 403 and "does not know this token" in refused.json()["error"]


def test_a_student_removed_from_the_course_cannot_submit_a_second_later(hub):
    token, _ = new_student(hub, "idremoved")
    assert submit(hub, token).status_code == 201
    hub.api("DELETE", f"groups/nbgrader-{COURSE}/users", json={"users": ["idremoved"]})
    time.sleep(1)
    refused = submit(hub, token)
    assert refused.status_code == 403 and "not in course mlphys" in refused.json()["error"]


def test_a_deleted_users_work_is_archived_and_a_new_same_name_account_never_sees_it(hub):
    token, _ = new_student(hub, "iddeleted")
    old = submit(hub, token).json()
    instructor = hub.token("formgrader")
    assert [r["submission_id"] for r in listed(hub, instructor, student="iddeleted")] == [old["submission_id"]]
    hub.api("DELETE", "users/iddeleted")
    time.sleep(1)
    assert submit(hub, token).status_code == 403
    # the exchange's sweep (every 2 s in the test hub) archives what the deleted account left
    deadline = time.monotonic() + 30
    while listed(hub, instructor, student="iddeleted") and time.monotonic() < deadline:
        time.sleep(1)
    assert listed(hub, instructor, student="iddeleted") == [], "the deleted account's work is still collectable"
    archived = list((hub.exchange_root / COURSE / "archive" / "iddeleted").glob(f"*/submissions/lecture01/{old['submission_id']}"))
    assert len(archived) == 1
    token, _ = new_student(hub, "iddeleted")  # a new account, the same name
    assert listed(hub, token) == []
    new = submit(hub, token).json()
    assert [r["submission_id"] for r in listed(hub, token)] == [new["submission_id"]]


def test_a_new_same_name_account_never_sees_the_old_work_at_once(hub):
    """Deleted and recreated at once: the account's creation time tells the exchange they differ."""
    token, _ = new_student(hub, "idreused")
    old = submit(hub, token).json()
    hub.api("DELETE", "users/idreused")
    token, _ = new_student(hub, "idreused")
    assert listed(hub, token) == []
    assert old["submission_id"] not in {r["submission_id"] for r in listed(hub, hub.token("formgrader"))}


def test_the_leaderboard_reads_every_hub_user_name_for_the_pseudonym_check(hub):
    """With its own token and scopes, over all pages of the hub's user list."""
    from course_lib.leaderboard.hub_users import hub_user_names
    from course_lib.leaderboard.pseudonyms import PseudonymError, check_pseudonym

    users = [f"idpage{i:03d}" for i in range(210)]  # more than one page (200)
    hub.api("POST", "users", json={"usernames": users}, expect=(201, 409))  # the hub skips existing ones; 409: all exist
    names = hub_user_names(f"{hub.url}/hub/api", hub.token("leaderboard"))
    assert {"instructor", "ada", "ben", "cleo", *users} <= set(names) and len(names) == len(set(names))

    class NoRows:  # a leaderboard without students yet: only the hub's names count
        def execute(self, _):
            return []

    for wanted in ("INSTRUCTOR", "Ada", "IDPAGE209"):
        with pytest.raises(PseudonymError):
            check_pseudonym(NoRows(), "someone", wanted, names)
