"""Per-assignment policies and per-student extensions, read from a ``policies/`` folder.

``policies/<assignment>.toml`` (every key optional; an assignment without a file is homework
that is always open and never late)::

    kind = "exam"                         # homework (default) | exam | practice | challenge | project
    opens = 2026-07-24T09:00:00+02:00     # not listed or fetchable before (exams: released then)
    closes = 2026-07-24T11:30:00+02:00    # the deadline
    duration_minutes = 120                # exams: each student's time from their first fetch
    late = "zero"                         # none | zero | deduction: what a late submission scores
    accept_late = false                   # false: the exchange refuses late submissions
    deduction_per_hour = 10               # late = "deduction": percent of the maximum per started hour
    deduction_cap = 50                    # ... and at most this percent in all
    presentation = 2026-07-28T18:00:00+02:00   # projects: when the students present (after closes)
    presentation_minutes = 10             # ... and how long each talk may be

``policies/extensions.toml`` (written by `course extend` and the hub's instructor page)::

    [exam_final]
    "ada" = 2026-07-24T12:00:00+00:00     # ada's own closing time
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

# A project is graded by rubric and presented; like a challenge it is no homework sheet for admission.
KINDS = ("homework", "exam", "practice", "challenge", "project")
LATE_RULES = ("none", "zero", "deduction")
EXTENSIONS = "extensions.toml"
ADMISSION = "admission.toml"
KEYS = {"kind", "title", "opens", "closes", "duration_minutes", "late", "accept_late", "deduction_per_hour", "deduction_cap",
        "presentation", "presentation_minutes"}


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Policy:
    assignment: str
    kind: str = "homework"
    title: str = ""
    opens: datetime | None = None
    closes: datetime | None = None
    duration: timedelta | None = None
    late: str = "none"
    accept_late: bool = True
    deduction_per_hour: float = 0.0
    deduction_cap: float = 100.0
    presentation: datetime | None = None
    presentation_minutes: float | None = None
    extensions: dict[str, datetime] = field(default_factory=dict)

    @property
    def timed(self) -> bool:
        return self.kind in ("exam", "practice")

    def closes_for(self, student: str | None) -> datetime | None:
        """The closing time for one student: their extension if they have one."""
        if student and student in self.extensions:
            return self.extensions[student]
        return self.closes

    def deadline_for(self, student: str | None, started: datetime | None = None) -> datetime | None:
        """When this student's time is up: the (extended) closing time, or earlier for a timed exam
        begun at ``started`` (an extension lengthens the duration by as much as it moves the closing)."""
        closes = self.closes_for(student)
        if self.duration is None or started is None:
            return closes
        extra = (closes - self.closes) if (closes and self.closes) else timedelta(0)
        own = started + self.duration + extra
        return min(own, closes) if closes else own

    def is_open(self, now: datetime) -> bool:
        return self.opens is None or now >= self.opens

    def hours_late(self, received: datetime | None, deadline: datetime | None) -> int:
        """Started hours after the deadline (0 when on time; one second late is one hour)."""
        if received is None or deadline is None or received <= deadline:
            return 0
        return math.ceil((received - deadline).total_seconds() / 3600)

    def late_score(self, score: float, max_score: float, hours_late: int) -> float:
        """The score after the late rule; nbgrader's per-cell scores are left as they are."""
        if hours_late <= 0 or self.late == "none":
            return score
        if self.late == "zero":
            return 0.0
        percent = min(self.deduction_cap, self.deduction_per_hour * hours_late)
        return max(0.0, score - max_score * percent / 100.0)

    def describe(self) -> dict:
        stamp = lambda t: t.isoformat() if t else None  # noqa: E731
        return {"assignment": self.assignment, "kind": self.kind, "title": self.title or self.assignment,
                "opens": stamp(self.opens), "closes": stamp(self.closes),
                "duration_minutes": self.duration.total_seconds() / 60 if self.duration else None,
                "late": self.late, "accept_late": self.accept_late,
                "deduction_per_hour": self.deduction_per_hour, "deduction_cap": self.deduction_cap,
                "presentation": stamp(self.presentation), "presentation_minutes": self.presentation_minutes}


def _time(value, where: str, key: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        from .clock import parse_time

        try:
            return parse_time(value, f"{key} in {where}")
        except ValueError as exc:
            raise PolicyError(str(exc)) from None
    if not isinstance(value, datetime):
        raise PolicyError(f"{key} in {where} must be a date and time like 2026-07-24T09:00:00+02:00")
    if value.tzinfo is None:
        raise PolicyError(f"{key} in {where} has no UTC offset: write it like 2026-07-24T09:00:00+02:00")
    return value.astimezone(timezone.utc)


def _presentation(data: dict, where: str, opens: datetime | None, closes: datetime | None):
    """A project's presentation slot: a time after the submission closes, and an optional talk length."""
    when = _time(data.get("presentation"), where, "presentation")
    minutes = data.get("presentation_minutes")
    if minutes is not None and when is None:
        raise PolicyError(f"{where}: presentation_minutes needs a presentation time")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes <= 0):
        raise PolicyError(f"{where}: presentation_minutes must be a positive number")
    if when and closes and when < closes:
        raise PolicyError(f"{where}: presentation ({when.isoformat()}) must not be before closes ({closes.isoformat()}): "
                          "students present what they submitted")
    if when and opens and when <= opens:
        raise PolicyError(f"{where}: presentation ({when.isoformat()}) must be after opens ({opens.isoformat()})")
    return when, float(minutes) if minutes is not None else None


def parse_policy(assignment: str, data: dict, where: str, extensions: dict[str, datetime] | None = None) -> Policy:
    unknown = set(data) - KEYS
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KEYS))}")
    kind = data.get("kind", "homework")
    if kind not in KINDS:
        raise PolicyError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    late = data.get("late", "none")
    if late not in LATE_RULES:
        raise PolicyError(f"{where}: late must be one of {', '.join(LATE_RULES)}, not {late!r}")
    opens, closes = _time(data.get("opens"), where, "opens"), _time(data.get("closes"), where, "closes")
    if opens and closes and closes <= opens:
        raise PolicyError(f"{where}: closes ({closes.isoformat()}) must be after opens ({opens.isoformat()})")
    minutes = data.get("duration_minutes")
    if minutes is not None and (not isinstance(minutes, (int, float)) or minutes <= 0):
        raise PolicyError(f"{where}: duration_minutes must be a positive number")
    per_hour, cap = float(data.get("deduction_per_hour", 0)), float(data.get("deduction_cap", 100))
    if late == "deduction" and not (0 < per_hour <= 100 and 0 < cap <= 100):
        raise PolicyError(f"{where}: late = \"deduction\" needs deduction_per_hour and deduction_cap in (0, 100] percent")
    presentation, talk = _presentation(data, where, opens, closes)
    timed = kind in ("exam", "practice")
    accept_late = bool(data.get("accept_late", not timed))
    if minutes is not None and accept_late:
        raise PolicyError(f"{where}: with duration_minutes set accept_late must be false (a personal deadline "
                          "from the first fetch is enforced by the exchange, and grades know only the closing time)")
    return Policy(assignment=assignment, kind=kind, title=str(data.get("title", "")), opens=opens, closes=closes,
                  duration=timedelta(minutes=minutes) if minutes else None, late=late,
                  accept_late=accept_late, deduction_per_hour=per_hour,
                  deduction_cap=cap, presentation=presentation, presentation_minutes=talk,
                  extensions=dict(extensions or {}))


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None


def read_extensions(folder: Path) -> dict[str, dict[str, datetime]]:
    path = Path(folder) / EXTENSIONS
    if not path.is_file():
        return {}
    found = {}
    for assignment, table in _read_toml(path).items():
        if not isinstance(table, dict):
            raise PolicyError(f"{path}: [{assignment}] must be a table of student = closing time")
        found[assignment] = {student: _time(when, str(path), f"[{assignment}] {student}") for student, when in table.items()}
    return found


def write_extensions(folder: Path, extensions: dict[str, dict[str, datetime]]) -> Path:
    """Write extensions.toml atomically (names quoted, times in UTC)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Per-student closing times (course extend / the hub's instructor page).", ""]
    for assignment in sorted(extensions):
        if not extensions[assignment]:
            continue
        lines.append(f"[{json.dumps(assignment)}]")
        for student, when in sorted(extensions[assignment].items()):
            lines.append(f"{json.dumps(student)} = {when.astimezone(timezone.utc).isoformat()}")
        lines.append("")
    path, staging = folder / EXTENSIONS, folder / f".{EXTENSIONS}.{os.getpid()}"
    staging.write_text("\n".join(lines))
    staging.replace(path)
    return path


def load_policies(folder: Path) -> dict[str, Policy]:
    """Every assignment's policy in ``folder`` (with its extensions); {} when there is no folder."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    extensions = read_extensions(folder)
    policies = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name in (EXTENSIONS, ADMISSION):
            continue
        policies[path.stem] = parse_policy(path.stem, _read_toml(path), str(path), extensions.get(path.stem))
    for assignment in set(extensions) - set(policies):
        raise PolicyError(f"{folder / EXTENSIONS}: [{assignment}] has extensions but policies/{assignment}.toml does not exist")
    return policies


def policy_of(policies: dict[str, Policy], assignment: str) -> Policy:
    return policies.get(assignment) or Policy(assignment)
