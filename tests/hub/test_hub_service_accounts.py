"""No instructor-side process runs as root when the hub does (`make run` as root).

The formgrader, the course pages and the grading worker run as the course's grader account, which
owns the course; the leaderboard and the exchange have accounts of their own. What `ps` shows
after the hub has started is checked, and that students still cannot read the course.
"""

from __future__ import annotations

import pwd
import stat
import subprocess

SERVICES = {  # what each service's command line holds
    "formgrader": "jupyterhub-singleuser",
    "course pages": "course_lib.hub.course_pages",
    "grading worker": "course_lib.hub.worker",
    "leaderboard": "course_lib.leaderboard.web",
    "exchange": "course_lib.hub.exchange_service",
}


def test_ps_shows_no_service_of_the_hub_running_as_root(hub):
    listing = subprocess.run(["ps", "-ww", "-eo", "user:32,pid,args", "--no-headers"], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    course = str(hub.course)
    grader = pwd.getpwuid(hub.course.stat().st_uid).pw_name
    assert grader != "root", "the course still belongs to root"
    seen = {}
    for line in listing:
        user, _, args = line.split(None, 2) if len(line.split(None, 2)) == 3 else (line, "", "")
        for service, marker in SERVICES.items():
            if marker in args and (service != "formgrader" or f"--ServerApp.root_dir={course}" in args):
                seen.setdefault(service, set()).add(user)
    assert set(seen) == set(SERVICES), f"services not found in ps: {set(SERVICES) - set(seen)}\n" + "\n".join(listing)
    assert not {service for service, users in seen.items() if "root" in users}, seen
    for service in ("formgrader", "course pages", "grading worker"):
        assert seen[service] == {grader}, (service, seen[service])


def test_the_course_belongs_to_the_grader_account_and_is_closed_to_students(hub):
    course = hub.course
    info = course.stat()
    assert pwd.getpwuid(info.st_uid).pw_name.endswith("-grader")
    assert not stat.S_IMODE(info.st_mode) & 0o077, oct(info.st_mode)
    for name in ("gradebook.db", "source", "release"):
        assert (course / name).stat().st_uid == info.st_uid, name
