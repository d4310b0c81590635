"""`course grade`: autograde an assignment's collected submissions in parallel, resumably.

Each submission is graded by `submission.grade_submission` in a worker process (a local pool,
or a ``dask.distributed`` cluster). The batch keeps a journal (`journal.Journal`): a run that is
killed resumes where it stopped, and an unchanged submission graded before is not graded again
unless ``regrade``. One submission's failure never stops the batch.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import shutil
import signal
import sys
import uuid
from dataclasses import asdict
from pathlib import Path

from ..course_dir import submitted_students
from .assignment import GRADING_DIR, AssignmentInfo
from .journal import Journal, submission_checksum
from .locks import batch_lock
from .submission import GradeOutcome, grade_submission


def _worker_init() -> None:
    """Pool workers die with `course grade` (their sandboxes die with them) and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def make_executor(jobs: int, scheduler: str | None):
    """(executor, description, closer): a local process pool, or a dask.distributed cluster's executor."""
    if scheduler:
        from distributed import Client

        client = Client(scheduler, timeout=30)
        workers = len(client.scheduler_info().get("workers", {}))
        return client.get_executor(pure=False), f"dask cluster {scheduler} ({workers} workers)", client.close
    import multiprocessing

    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=_worker_init)
    return pool, f"{jobs} local worker process{'es' if jobs > 1 else ''}", lambda: pool.shutdown(wait=False, cancel_futures=True)


def _students(root: Path, assignment: str, students: list[str] | None) -> list[str]:
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
    return available


def _notebook_bytes(folder: Path) -> int:
    """The size of a submission's notebooks (not following links): a guess at how long it takes to grade."""
    try:
        return sum(entry.stat(follow_symlinks=False).st_size for entry in os.scandir(folder)
                   if entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False))
    except OSError:
        return 0


def _grade_each(root: Path, assignment: str, todo: list[str], executor, description: str, journal: Journal,
                checksums: dict[str, str], outcomes: dict[str, GradeOutcome], show_progress: bool, log) -> None:
    """Grade ``todo`` in this process (no executor) or through ``executor``; each outcome goes to the journal at once."""
    from tqdm import tqdm

    run_id = uuid.uuid4().hex[:12]
    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="submission", disable=not show_progress,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}]{postfix}")

    def record(result: dict) -> None:
        outcome = GradeOutcome(**result)
        outcomes[outcome.student] = outcome
        journal.append({**result, "checksum": checksums[outcome.student], "run": run_id,
                        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
        failed = sum(not o.success for o in outcomes.values() if not o.skipped)
        done = sum(o.success for o in outcomes.values() if not o.skipped)
        bar.update(1)
        bar.set_postfix(done=done, failed=failed, remaining=len(todo) - done - failed)

    if executor is None:
        for student in todo:
            record(grade_submission(str(root), assignment, student))
    else:
        log(f"grading {len(todo)} submission(s) of {assignment} with {description}")
        futures = {executor.submit(grade_submission, str(root), assignment, s): s for s in todo}
        for future in cf.as_completed(futures):
            student = futures[future]
            try:
                record(future.result())
            except Exception as exc:  # a worker that died: the submission is retried next run
                record(asdict(GradeOutcome(student, False, message=f"the grading worker failed: {type(exc).__name__}: {exc}")))
    bar.close()


def grade(
    root: Path,
    assignment: str,
    students: list[str] | None = None,
    show_progress: bool = True,
    jobs: int | None = None,
    regrade: bool = False,
    scheduler: str | None = None,
    log=None,
) -> list[GradeOutcome]:
    """Autograde each student's submission in parallel; one failure never stops the batch.

    Submissions graded by an earlier (possibly interrupted) run of the same version are
    skipped unless ``regrade``; named ``students`` are always graded.
    """
    log = log or (lambda text: print(text, file=sys.stderr))
    root = Path(root).resolve()
    available = _students(root, assignment, students)
    if jobs is not None and jobs < 1:
        raise ValueError("--jobs must be at least 1")

    with batch_lock(root, assignment):
        shutil.rmtree(root / GRADING_DIR / "staging" / assignment, ignore_errors=True)  # left by a killed run
        journal = Journal(root, assignment)
        finished = journal.finished()
        checksums = {s: submission_checksum(root / "submitted" / s / assignment) for s in available}
        outcomes: dict[str, GradeOutcome] = {}
        todo = []
        for student in available:
            record = finished.get(student)
            if record and record.get("checksum") == checksums[student] and not regrade and not students:
                outcomes[student] = GradeOutcome(student, True, note=record.get("note", ""), score=record.get("score"),
                                                 max_score=record.get("max_score"), skipped=True)
            else:
                todo.append(student)
        todo.sort(key=lambda s: -_notebook_bytes(root / "submitted" / s / assignment))  # the longest first, the quick ones fill the end
        jobs = min(jobs or os.cpu_count() or 1, max(1, len(todo)))
        parallel = len(todo) > 0 and (jobs > 1 or scheduler)
        # the workers start (and import) while this process reads the gradebook
        executor, description, close = make_executor(jobs, scheduler) if parallel else (None, "", lambda: None)
        try:
            info = AssignmentInfo(root, assignment)  # fails early and clearly if the assignment is not in the gradebook
            if info.sandboxed():
                from ..sandbox import sandbox_check

                sandbox_check()
            if outcomes:
                log(f"{len(outcomes)} submission(s) already graded by an earlier run are kept (use --regrade to grade them again)")
            if todo:
                _grade_each(root, assignment, todo, executor, description, journal, checksums, outcomes, show_progress, log)
        finally:
            close()
    return [outcomes[s] for s in available]
