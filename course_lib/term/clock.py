"""The platform's clock: real time, or a controlled time for tests and rehearsals.

``COURSE_CLOCK`` selects it: unset means the real UTC time; an ISO 8601 time with an offset
fixes the clock there; a path to a file makes every reading come from that file (an ISO time),
so a test or an exam rehearsal can move the time of a running service.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path


def parse_time(text: str, what: str = "time") -> datetime:
    """An aware datetime from ISO 8601; a time without a UTC offset is refused (it would be ambiguous)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{what} {text!r} is not an ISO 8601 time like 2026-07-24T09:00:00+02:00") from None
    if moment.tzinfo is None:
        raise ValueError(f"{what} {text!r} has no UTC offset: write it like 2026-07-24T09:00:00+02:00")
    return moment.astimezone(timezone.utc)


class Clock:
    """Real time unless ``COURSE_CLOCK`` says otherwise (read at every call)."""

    def __init__(self, setting: str | None = None):
        self.setting = os.environ.get("COURSE_CLOCK", "") if setting is None else setting

    def now(self) -> datetime:
        setting = self.setting.strip()
        if not setting:
            return datetime.now(timezone.utc)
        path = Path(setting)
        if path.is_absolute():
            try:
                return parse_time(path.read_text(), f"the clock file {path}")
            except FileNotFoundError:
                raise ValueError(f"COURSE_CLOCK names {path}, which does not exist") from None
        return parse_time(setting, "COURSE_CLOCK")


class ManualClock(Clock):
    """A clock that moves only when told to (tests, rehearsals); same interface as Clock."""

    def __init__(self, start: datetime):
        super().__init__("")
        self.current = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment.astimezone(timezone.utc)

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current
