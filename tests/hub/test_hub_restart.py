"""Acceptance 1 and `make run`'s life cycle: the session's hub was started with `make run` (conftest).

A demo student logs in with the printed password; Ctrl-C stops the hub, every server and every
service; a second `make run` comes back with the same state. (This file sorts after the browser,
isolation and load tests, which use the first instance.)
"""

from __future__ import annotations

import re
import time

import requests

from .conftest import hub_processes, port_is_free


def printed_accounts(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\s{4}(\w+)\s+(\S+)\s+\((?:student|instructor)\)$", text, re.M))


def test_make_run_prints_the_demo_course_and_accounts(hub):
    accounts = printed_accounts(hub.first_output)
    assert set(accounts) == {"instructor", "ada", "ben", "cleo"}
    assert accounts == hub.accounts
    assert f"The course hub is running at http://127.0.0.1:{hub.port}" in hub.first_output
    assert re.search(r"Released: lecture01 (released|\(already released\)), lecture02", hub.first_output)
    assert "Running as root: every user's server runs as their own Unix account" in hub.first_output
    released = requests.get(f"{hub.exchange_url}/api/courses/mlphys/assignments",
                            headers={"Authorization": f"token {hub.token('formgrader')}"}, timeout=30).json()
    # the demo releases lecture01 and lecture02; the browser tests release more into the same hub
    assert {"lecture01", "lecture02"} <= {a["assignment_id"] for a in released}


def test_a_demo_student_logs_in_and_gets_jupyterlab(hub):
    session = hub.login("cleo", printed_accounts(hub.first_output)["cleo"])
    assert "/hub/login" not in session.response.url
    hub.start_server("cleo")  # her login started it; wait until it is up
    lab = session.get(f"{hub.url}/user/cleo/lab", timeout=120)
    assert lab.status_code == 200 and "JupyterLab" in lab.text
    leaderboard = session.get(f"{hub.url}/services/leaderboard/", timeout=60)
    assert leaderboard.status_code == 200 and "Leaderboard" in leaderboard.text, "the leaderboard's slot is ready"


def test_students_sign_up_and_an_instructor_approves_them(hub):
    signup = requests.Session()
    signup.get(f"{hub.url}/hub/signup", timeout=30)
    page = signup.post(f"{hub.url}/hub/signup", timeout=30, data={
        "username": "dora", "signup_password": "a long pass phrase", "signup_password_confirmation": "a long pass phrase",
        "_xsrf": signup.cookies.get("_xsrf", "")})
    assert page.status_code == 200 and "sent to the admin" in page.text
    refused = hub.login("dora", "a long pass phrase")
    assert "has not been approved" in refused.response.text
    instructor = hub.login("instructor")
    assert instructor.get(f"{hub.url}/hub/authorize/dora", timeout=30).status_code == 200
    admitted = hub.login("dora", "a long pass phrase")
    assert "/user/dora/" in admitted.response.url or "spawn" in admitted.response.url
    for _ in range(60):  # enrolment happens as her server starts
        groups = hub.api("GET", "users/dora").json()["groups"]
        if groups:
            break
        time.sleep(1)
    assert groups == ["nbgrader-mlphys"], "a student who starts a server joins the course"


def test_ctrl_c_stops_everything_and_a_second_make_run_reuses_the_state(hub):
    from course_lib.hub.archive import pack_files

    submitted = requests.post(f"{hub.exchange_url}/api/courses/mlphys/assignments/lecture01/submissions", timeout=60,
                              headers={"Authorization": f"token {hub.user_token('cleo')}"},
                              data=pack_files({"lecture01.ipynb": b"{}"}))
    assert submitted.status_code == 201, submitted.text
    before = {"accounts": hub.accounts, "users": {u["name"] for u in hub.api("GET", "users").json()},
              "submissions": sorted(p.name for p in (hub.exchange_root / "mlphys" / "submissions").iterdir())}
    started = time.monotonic()
    hub.stop()
    stop_seconds = time.monotonic() - started
    assert not hub_processes(hub), f"left running after Ctrl-C: {hub_processes(hub)}"
    assert port_is_free(hub.port)
    again = hub.start()
    assert printed_accounts(again) == before["accounts"], "the same demo passwords"
    assert "lecture01 (already released), lecture02 (already released)" in again
    assert "preparing the demo course" not in again
    assert before["users"] <= {u["name"] for u in hub.api("GET", "users").json()}
    assert sorted(p.name for p in (hub.exchange_root / "mlphys" / "submissions").iterdir()) == before["submissions"]
    assert "/hub/login" not in hub.login("ada").response.url, "the same password still works"
    (hub.log.parent / "restart.txt").write_text(f"Ctrl-C stop took {stop_seconds:.1f} s\n")
