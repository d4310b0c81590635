"""Grading one submission end to end: stage it, autograde it, keep the manual grades, account for the time.

`grade_submission` is a plain function of picklable arguments, so that a local process pool and
a ``dask.distributed`` cluster run the very same code. Everything it learns travels in its
return value (a `GradeOutcome` as a dict), never through module state.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .assignment import GRADING_DIR, AssignmentInfo
from .autograde import autograde_staged
from .manual_grades import manual_snapshot, settle_grades
from .staging import stage_submission

# The phases of one submission's grading, in order (`bench/bench_grading.py` prints them).
PHASES = ("staging", "sandbox start", "kernel start", "cell execution", "hidden graders",
          "copy-back and teardown", "nbgrader and gradebook")


@dataclass
class GradeOutcome:
    student: str
    success: bool  # graded and recorded in the gradebook (a zero with a note is a success)
    message: str = ""  # why it could not be graded (an infrastructure or grader error; retried next run)
    note: str = ""  # what went wrong for the student (kernel died, timeout, unreadable notebook ...)
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0
    skipped: bool = False  # graded by an earlier run (journal) and not graded again
    worker: str = ""  # host:pid of the process that graded it
    peak_mb: int = 0  # the grading process's own peak resident memory while it graded this submission
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase (PHASES)


_CAUSE = re.compile(r"^\s*([\w.]+(Error|Exception)): (.+)$")


def error_summary(result: dict) -> str:
    """The most specific error line of nbgrader's captured traceback and log."""
    text = "\n".join(filter(None, [result.get("error"), result.get("log")]))
    causes = [m.group(0).strip() for m in map(_CAUSE.match, text.splitlines()) if m and "NbGraderException" not in m.group(1)]
    if causes:
        return causes[-1]
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "autograding failed without a message"


def _reset_peak_memory() -> None:
    """Start this process's peak-RSS count afresh (Linux: ``clear_refs`` 5), so each submission has its own."""
    with contextlib.suppress(OSError):
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")


def _peak_memory_mb() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    return 0


def _student_note(outcomes: dict[str, dict], staged_notes: list[str], skipped_files: list[str]) -> str:
    said = [o.get("note", "") for o in outcomes.values()] + [n for n in staged_notes if not n.startswith("file skipped")]
    note = "; ".join(dict.fromkeys(filter(None, said)))
    if skipped_files:
        note = "; ".join(filter(None, [note, f"{len(skipped_files)} file(s) not graded ({skipped_files[0]})"]))
    return note


def _phases(staging: float, total: float, outcomes: dict[str, dict]) -> dict[str, float]:
    """Seconds per phase; what nbgrader does around the execution (sanitising, gradebook writes) is the rest."""
    phases = {name: 0.0 for name in PHASES}
    phases["staging"] = staging
    for outcome in outcomes.values():
        for name, seconds in outcome.get("phases", {}).items():
            phases[name] = phases.get(name, 0.0) + seconds
    phases["nbgrader and gradebook"] = max(0.0, total - sum(v for k, v in phases.items() if k != "nbgrader and gradebook"))
    return {name: round(seconds, 3) for name, seconds in phases.items()}


_ONE_AT_A_TIME = threading.Lock()  # nbgrader and pytest keep global state: one grading per process


def grade_submission(root: str, assignment: str, student: str) -> dict:
    """Grade one student's submission end to end; return a GradeOutcome as a dict (picklable, JSON-able)."""
    started = time.monotonic()
    root_path = Path(root)
    with _ONE_AT_A_TIME:
        _reset_peak_memory()
        outcome = GradeOutcome(student, False, worker=f"{socket.gethostname()}:{os.getpid()}")
        staging_rel = str(GRADING_DIR / "staging" / assignment / uuid.uuid4().hex)
        staging = root_path / staging_rel
        try:
            info = AssignmentInfo(root_path, assignment)  # read afresh: a long-lived (dask) worker outlives assignments
            staged = stage_submission(info.submitted(student), staging / student / assignment, info.release_dir,
                                      info.notebooks, info.max_file_bytes)
            staged_at = time.monotonic()
            snapshot = manual_snapshot(info, student)
            result, graded = autograde_staged(info, student, staging_rel, staged.unreadable)
            if result.get("success"):
                outcome.success = True
                outcome.score, outcome.max_score = settle_grades(info, student, snapshot)
                outcome.note = _student_note(graded, staged.notes, staged.skipped_files)
            else:
                outcome.message = error_summary(result)
            outcome.phases = _phases(staged_at - started, time.monotonic() - started, graded)
        except Exception as exc:  # one submission's failure must never stop the batch
            outcome.message = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            outcome.peak_mb = _peak_memory_mb()
    outcome.seconds = round(time.monotonic() - started, 2)
    return asdict(outcome)
