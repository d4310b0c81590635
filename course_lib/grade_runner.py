"""`course grade`: autograde collected submissions with nbgrader and the hidden graders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .course_dir import nbgrader_api, submitted_students


@dataclass
class GradeOutcome:
    student: str
    success: bool
    message: str = ""


_CAUSE = re.compile(r"^\s*([\w.]+(Error|Exception)): (.+)$")


def _error_summary(result: dict) -> str:
    """The most specific error line of nbgrader's captured traceback and log."""
    text = "\n".join(filter(None, [result.get("error"), result.get("log")]))
    causes = [m.group(0).strip() for m in map(_CAUSE.match, text.splitlines()) if m and "NbGraderException" not in m.group(1)]
    if causes:
        return causes[-1]
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "autograding failed without a message"


def grade(root: Path, assignment: str, students: list[str] | None = None, show_progress: bool = True) -> list[GradeOutcome]:
    """Autograde each student's submission; one failure never stops the batch."""
    if not (root / "source" / assignment).is_dir():
        known = ", ".join(sorted(p.name for p in (root / "source").iterdir() if p.is_dir()))
        raise ValueError(f"there is no assignment {assignment!r} in source/ (known: {known})")
    available = submitted_students(root, assignment)
    if not available:
        raise ValueError(f"no collected submissions of {assignment!r} in submitted/; run `nbgrader collect {assignment}` first")
    if students:
        missing = sorted(set(students) - set(available))
        if missing:
            raise ValueError(f"no collected submission of {assignment!r} for: {', '.join(missing)}")
        available = [s for s in available if s in set(students)]
    api = nbgrader_api(root)
    outcomes = []
    bar = tqdm(available, desc=f"grading {assignment}", unit="submission", disable=not show_progress)
    for student in bar:
        result = api.autograde(assignment, student, force=True, create=True)
        outcomes.append(GradeOutcome(student, bool(result.get("success")), "" if result.get("success") else _error_summary(result)))
        failed = sum(not o.success for o in outcomes)
        bar.set_postfix(done=len(outcomes) - failed, failed=failed)
    return outcomes
