"""What the exchange lets through, by the assignment's policy and the platform's clock.

The exchange keeps its own copy of the course's ``policies/`` (instructors push it; the hub's
course-status service does so on every change), and the time each student first fetched a
timed exam. Everything here uses the platform's time; nothing from the student's upload.

Storage, beside the exchange's other folders::

    <course>/policies/*.toml                         the pushed policies and extensions
    <course>/starts/<assignment>/<student>           first fetch of a timed assignment (ISO time)
"""

from __future__ import annotations

import shutil
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..hub.archive import write_tree
from .clock import parse_time
from .policy import Policy, PolicyError, load_policies, policy_of


@dataclass
class Refused(Exception):
    """The policy says no; ``status`` is the HTTP status, ``message`` says why and until when."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


class Gate:
    def __init__(self, root: Path):
        self.root = Path(root)

    # --- the policies the exchange enforces ---
    def policies_dir(self, course: str) -> Path:
        return self.root / course / "policies"

    def policies(self, course: str) -> dict[str, Policy]:
        return load_policies(self.policies_dir(course))

    def policy(self, course: str, assignment: str) -> Policy:
        return policy_of(self.policies(course), assignment)

    def replace_policies(self, course: str, files: dict[str, bytes]) -> list[str]:
        """Install a new set of policy files, but only if they all load (else PolicyError, nothing changes)."""
        files = {name: data for name, data in files.items() if name.endswith(".toml") and "/" not in name}
        folder = self.policies_dir(course)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.parent / f".policies.{secrets.token_hex(4)}"
        write_tree(staging, files)
        try:
            load_policies(staging)
        except PolicyError as exc:
            shutil.rmtree(staging)
            raise PolicyError(str(exc).replace(str(staging), "policies")) from None
        trash = folder.parent / f".policies.old.{secrets.token_hex(4)}"
        if folder.exists():
            folder.rename(trash)
        staging.rename(folder)
        shutil.rmtree(trash, ignore_errors=True)
        return sorted(files)

    # --- first fetch of a timed exam ---
    def start_file(self, course: str, assignment: str, student: str) -> Path:
        return self.root / course / "starts" / assignment / student

    def started(self, course: str, assignment: str, student: str) -> datetime | None:
        path = self.start_file(course, assignment, student)
        return parse_time(path.read_text()) if path.is_file() else None

    def deadline(self, course: str, policy: Policy, student: str) -> datetime | None:
        return policy.deadline_for(student, self.started(course, policy.assignment, student))

    # --- decisions ---
    def visible(self, course: str, assignment: str, now: datetime) -> bool:
        """Students see an assignment in the list from its opening time on."""
        return self.policy(course, assignment).is_open(now)

    def check_fetch(self, course: str, assignment: str, student: str, now: datetime) -> None:
        """Refuse a fetch before the opening time and after the student's deadline (timed ones);
        the first fetch of a timed assignment starts the student's clock."""
        policy = self.policy(course, assignment)
        if not policy.is_open(now):
            raise Refused(403, f"{assignment} opens at {_when(policy.opens)}; it cannot be fetched before")
        if not policy.timed:
            return
        deadline = self.deadline(course, policy, student)
        if deadline is not None and now > deadline:
            raise Refused(403, f"{assignment} closed for you at {_when(deadline)}")
        path = self.start_file(course, assignment, student)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(now.isoformat())

    def check_submit(self, course: str, assignment: str, student: str, received: datetime) -> dict:
        """Decide on a submission received (platform time) at ``received``: refuse it, or accept it
        and say how late it is. Returns what goes into the receipt."""
        policy = self.policy(course, assignment)
        if not policy.is_open(received):
            raise Refused(403, f"{assignment} opens at {_when(policy.opens)}; nothing can be submitted before")
        deadline = self.deadline(course, policy, student)
        late = deadline is not None and received > deadline
        if late and not policy.accept_late:
            raise Refused(403, f"the deadline of {assignment} was {_when(deadline)}; your submission was received "
                               f"at {_when(received)} and late submissions are not accepted")
        info = {"deadline": deadline.isoformat() if deadline else None,
                "late_seconds": (received - deadline).total_seconds() if late else 0.0}
        if late:
            info["late_rule"] = policy.late
        return info

    def status(self, course: str, assignments: list[str], student: str | None, now: datetime) -> list[dict]:
        """What a student (or, with student None, an instructor) should know about each assignment now."""
        found = []
        policies = self.policies(course)
        for assignment in assignments:
            policy = policy_of(policies, assignment)
            info = policy.describe()
            started = self.started(course, assignment, student) if student else None
            deadline = policy.deadline_for(student, started)
            state = ("not open" if not policy.is_open(now) else
                     "closed" if deadline is not None and now > deadline else "open")
            info.update(state=state, started=started.isoformat() if started else None,
                        deadline=deadline.isoformat() if deadline else None,
                        extended=bool(student and student in policy.extensions),
                        seconds_left=(deadline - now).total_seconds() if deadline and state == "open" else None)
            found.append(info)
        return found
