"""Per-student, per-assignment scores from the nbgrader gradebook, with the late rules applied.

nbgrader's per-cell scores stay as they are; the late rule changes only the totals used by
admission and export. Lateness is measured from the submission's timestamp in the gradebook,
which is the platform's receipt time (the exchange writes ``timestamp.txt``), against the
student's (possibly extended) closing time.
"""

from __future__ import annotations

from datetime import timezone

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from .policy import Policy, policy_of

COLUMNS = ["student", "assignment", "kind", "submitted", "received", "deadline", "hours_late", "raw_score",
           "score", "max_score"]


def _utc(moment):
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def score_table(db_url: str, course_id: str, policies: dict[str, Policy], assignments: list[str] | None = None) -> pd.DataFrame:
    """One row per (student, assignment) for every student in the gradebook; a missing
    submission is a row with ``submitted`` False and score 0."""
    rows = []
    with Gradebook(db_url, course_id) as gb:
        names = assignments or [a.name for a in gb.assignments]
        for name in names:
            try:
                assignment = gb.find_assignment(name)
            except MissingEntry:
                raise KeyError(f"assignment {name!r} is not in the gradebook") from None
            policy = policy_of(policies, name)
            max_score = float(assignment.max_score)
            for student in gb.students:
                try:
                    submission = gb.find_submission(name, student.id)
                except MissingEntry:
                    submission = None
                received = _utc(submission.timestamp) if submission else None
                deadline = policy.closes_for(student.id)
                hours = policy.hours_late(received, deadline)
                raw = float(submission.score) if submission else 0.0
                rows.append({"student": student.id, "assignment": name, "kind": policy.kind,
                             "submitted": submission is not None, "received": received, "deadline": deadline,
                             "hours_late": hours, "raw_score": raw,
                             "score": policy.late_score(raw, max_score, hours), "max_score": max_score})
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["student", "assignment"], ignore_index=True)


def students(db_url: str, course_id: str) -> pd.DataFrame:
    """Who is in the course: id, names, email and LMS id as the gradebook knows them."""
    with Gradebook(db_url, course_id) as gb:
        rows = [{"student": s.id, "first_name": s.first_name or "", "last_name": s.last_name or "",
                 "email": s.email or "", "lms_user_id": s.lms_user_id or ""} for s in gb.students]
    return pd.DataFrame(rows, columns=["student", "first_name", "last_name", "email", "lms_user_id"]).sort_values(
        "student", ignore_index=True)
