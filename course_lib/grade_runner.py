"""`course grade`: autograde collected submissions with nbgrader and the hidden graders.

One submission is graded by ``grade_submission`` (a plain function, so that a local process
pool and a ``dask.distributed`` cluster run the very same code):

1. **Stage.** The submission folder is copied to a private staging folder: regular files
   only (symlinks, FIFOs and oversized files are skipped and named), notebooks parsed and
   repaired by ``course_lib.staging`` (nbgrader metadata rebuilt from the release, missing
   cells restored). A notebook that cannot be read at all (invalid JSON, too large or too
   deeply nested, not a notebook, a symlink, missing) is replaced by a stand-in that carries
   the reason, so the student gets a zero *with a message* instead of no grade.
   ``submitted/`` itself is never changed.
2. **Grade** with nbgrader's own Autograde converter reading the staged copy; the course
   configuration sandboxes the kernel and runs the hidden graders (see
   ``course_lib.grading.execute``). Gradebook writes are serialized across workers.
3. **Keep manual grades:** a re-grade never changes a manual score, and a manual grade the
   instructor already finished is not flagged for review again unless its autograded part
   changed.

The parent process keeps a journal (``autograded/.grading/<assignment>.jsonl``): one line
per finished submission with its checksum. A run that is killed resumes where it stopped;
``--regrade`` grades everything again.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from .course_dir import load_config, submitted_students
from .sandbox.files import copy_regular_files, tree_checksum
from .staging import read_submitted_notebook, stand_in

GRADING_DIR = Path("autograded") / ".grading"
STAGED_TOTAL = 1024 * 2**20


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


_CAUSE = re.compile(r"^\s*([\w.]+(Error|Exception)): (.+)$")


def _error_summary(result: dict) -> str:
    """The most specific error line of nbgrader's captured traceback and log."""
    text = "\n".join(filter(None, [result.get("error"), result.get("log")]))
    causes = [m.group(0).strip() for m in map(_CAUSE.match, text.splitlines()) if m and "NbGraderException" not in m.group(1)]
    if causes:
        return causes[-1]
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "autograding failed without a message"


# --- the gradebook lock ---------------------------------------------------------------------------
@contextlib.contextmanager
def _gradebook_lock(root: Path, db_url: str):
    """Serialize gradebook writes of concurrent workers (SQLite); other databases lock themselves."""
    if not db_url.startswith("sqlite"):
        yield
        return
    path = root / GRADING_DIR / "gradebook.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Course:
    """What a worker needs to know about one course and assignment (read once per process)."""

    def __init__(self, root: Path, assignment: str):
        from nbgrader.api import Gradebook, MissingEntry

        self.root, self.assignment = root, assignment
        self.config = load_config(root)
        self.db_url = self.config.CourseDirectory.db_url
        self.course_id = self.config.CourseDirectory.course_id
        with Gradebook(self.db_url, self.course_id) as gb:
            try:
                source = gb.find_assignment(assignment)
            except MissingEntry:
                raise ValueError(f"assignment {assignment!r} is not in the gradebook; "
                                 f"run `nbgrader generate_assignment {assignment}` first") from None
            self.notebooks = [nb.name for nb in source.notebooks]
        max_kb = self.config.CourseDirectory.max_file_size if "max_file_size" in self.config.CourseDirectory else 100000
        self.max_file_bytes = int(max_kb) * 1000

    def stage(self, student: str, target: Path) -> list[str]:
        """Copy ``student``'s submission into ``target`` for nbgrader; return notes for the instructor."""
        source = self.root / "submitted" / student / self.assignment
        try:
            report = copy_regular_files(source, target, self.max_file_bytes, STAGED_TOTAL,
                                        skip=lambda rel: rel.endswith(".ipynb") and "/" not in rel)
            notes = [f"file skipped: {s}" for s in report.skipped]
        except Exception as exc:  # a folder tree nothing can walk (too deep, unreadable): the notebooks still count
            target.mkdir(parents=True, exist_ok=True)
            notes = [f"file skipped: the submission's other files could not be copied ({type(exc).__name__})"]
        for name in self.notebooks:
            release_path = self.root / "release" / self.assignment / f"{name}.ipynb"
            if not release_path.is_file():
                raise FileNotFoundError(f"{release_path.relative_to(self.root)} is missing; "
                                        f"run `nbgrader generate_assignment {self.assignment}` again")
            release = nbformat.read(release_path, as_version=4)
            try:
                nb, reason = read_submitted_notebook(source / f"{name}.ipynb", release)
                text = nbformat.writes(nb) if nb is not None else None
            except Exception as exc:  # (an OSError reading it, say): still a graded outcome
                nb, reason, text = None, f"{name}.ipynb could not be read ({type(exc).__name__})", None
            if text is None:
                notes.append(reason)
                text = nbformat.writes(stand_in(release, reason))
            (target / f"{name}.ipynb").write_text(text, encoding="utf-8")
        return notes


_COURSES: dict[tuple[str, str], _Course] = {}
_ONE_AT_A_TIME = threading.Lock()  # nbgrader and pytest keep global state: one grading per process


def _course(root: Path, assignment: str) -> _Course:
    key = (str(root), assignment)
    if key not in _COURSES:
        _COURSES[key] = _Course(root, assignment)
    return _COURSES[key]


def _autograde(course: _Course, student: str, staging_rel: str) -> dict:
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.converters import Autograde
    from nbgrader.utils import capture_log, temp_attrs

    lock = lambda: _gradebook_lock(course.root, course.db_url)  # noqa: E731

    class CourseAutograde(Autograde):
        """nbgrader's Autograde reading the staged copy, with gradebook writes serialized."""

        @property
        def _input_directory(self) -> str:
            return staging_rel if self._sanitizing else self.coursedir.autograded_directory

        def init_assignment(self, assignment_id, student_id):
            with lock():
                super().init_assignment(assignment_id, student_id)

        def _init_preprocessors(self):
            super()._init_preprocessors()
            from nbgrader.preprocessors import AssignLatePenalties, OverwriteCells, SaveAutoGrades

            def locked(pp):
                if not isinstance(pp, (SaveAutoGrades, AssignLatePenalties, OverwriteCells)):
                    return pp

                def run(nb, resources):
                    with lock():
                        return pp(nb, resources)
                return run

            self.exporter._preprocessors = [locked(pp) for pp in self.exporter._preprocessors]

    api = NbGraderAPI(config=course.config)
    with temp_attrs(api.coursedir, assignment_id=course.assignment, student_id=student):
        app = CourseAutograde(coursedir=api.coursedir, parent=api)
        app.force, app.create_student = True, True
        return capture_log(app)


def _manual_snapshot(course: _Course, student: str) -> dict:
    from nbgrader.api import Gradebook, MissingEntry

    snap = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            submission = gb.find_submission(course.assignment, student)
        except MissingEntry:
            return snap
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is not None:
                    snap[(notebook.name, grade.name)] = (grade.manual_score, grade.needs_manual_grade, grade.auto_score)
    return snap


def _settle_grades(course: _Course, student: str, snapshot: dict) -> tuple[float | None, float | None]:
    """Keep manual grades as the instructor left them, give unscored autograded cells 0; return the scores."""
    from nbgrader.api import Gradebook, MissingEntry

    with _gradebook_lock(course.root, course.db_url), Gradebook(course.db_url, course.course_id) as gb:
        try:
            submission = gb.find_submission(course.assignment, student)
        except MissingEntry:
            return None, None
        for notebook in submission.notebooks:
            solution = {c.name for c in notebook.notebook.solution_cells}
            for grade in notebook.grades:
                autograded = grade.cell.cell_type == "code" and grade.name not in solution
                if autograded and grade.auto_score is None and grade.manual_score is None:
                    grade.auto_score, grade.needs_manual_grade = 0.0, False  # a cell nbgrader could not see
                before = snapshot.get((notebook.name, grade.name))
                if before is None:
                    continue
                manual, needed, auto = before
                grade.manual_score = manual
                if not needed and (not autograded or grade.auto_score == auto):
                    grade.needs_manual_grade = False
        gb.db.commit()
        return float(submission.score), float(submission.max_score)


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


def grade_submission(root: str, assignment: str, student: str) -> dict:
    """Grade one student's submission end to end; return a GradeOutcome as a dict (picklable, JSON-able)."""
    from .grading.execute import OUTCOMES

    started = time.monotonic()
    root_path = Path(root)
    with _ONE_AT_A_TIME:
        _reset_peak_memory()
        outcome = GradeOutcome(student, False, worker=f"{socket.gethostname()}:{os.getpid()}")
        staging_rel = str(GRADING_DIR / "staging" / assignment / uuid.uuid4().hex)
        staging = root_path / staging_rel
        try:
            course = _Course(root_path, assignment)  # read afresh: a long-lived (dask) worker outlives assignments
            notes = course.stage(student, staging / student / assignment)
            snapshot = _manual_snapshot(course, student)
            OUTCOMES.pop((assignment, student), None)
            result = _autograde(course, student, staging_rel)
            if result.get("success"):
                outcome.success = True
                outcome.score, outcome.max_score = _settle_grades(course, student, snapshot)
                graded = OUTCOMES.get((assignment, student), {})
                said = [graded.get("note", "")] + [n for n in notes if not n.startswith("file skipped")]
                outcome.note = "; ".join(dict.fromkeys(filter(None, said)))
                skipped = [n for n in notes if n.startswith("file skipped")]
                if skipped:
                    outcome.note = "; ".join(filter(None, [outcome.note, f"{len(skipped)} file(s) not graded ({skipped[0][14:]})"]))
            else:
                outcome.message = _error_summary(result)
        except Exception as exc:  # one submission's failure must never stop the batch
            outcome.message = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            outcome.peak_mb = _peak_memory_mb()
    outcome.seconds = round(time.monotonic() - started, 2)
    return asdict(outcome)


# --- the batch ------------------------------------------------------------------------------------
def _checksum(folder: Path) -> str:
    """The submission's checksum; a tree that cannot be walked gets a fresh one (it is graded every run)."""
    try:
        return tree_checksum(folder)
    except Exception as exc:  # a student's folder tree must never stop the batch
        return f"unwalkable {type(exc).__name__} {uuid.uuid4().hex}"


class Journal:
    """JSON lines, one per finished submission: who, which version (checksum), the outcome."""

    def __init__(self, root: Path, assignment: str):
        self.path = root / GRADING_DIR / f"{assignment}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)

    def finished(self) -> dict[str, dict]:
        """student -> the last record of a successful grading."""
        done = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill
                if record.get("success"):
                    done[record["student"]] = record
                else:
                    done.pop(record.get("student"), None)
        return done

    def append(self, record: dict) -> None:
        with open(self.path, "a") as handle:
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


@contextlib.contextmanager
def _batch_lock(root: Path, assignment: str):
    path = root / GRADING_DIR / f"{assignment}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        raise ValueError(f"another `course grade {assignment}` is running ({handle.read().strip() or 'unknown pid'}); "
                         "wait for it or stop it first") from None
    handle.seek(0), handle.truncate(), handle.write(f"pid {os.getpid()}"), handle.flush()
    try:
        yield
    finally:
        handle.close()


def _worker_init() -> None:
    """Pool workers die with `course grade` (their sandboxes die with them) and leave Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _preflight(root: Path) -> None:
    config = load_config(root)
    if config.get("HiddenGraderExecute", {}).get("sandbox", "bwrap") == "bwrap":
        from .sandbox import sandbox_check

        sandbox_check()


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
    from tqdm import tqdm

    log = log or (lambda text: print(text, file=sys.stderr))
    root = Path(root).resolve()
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
    if jobs is not None and jobs < 1:
        raise ValueError("--jobs must be at least 1")
    _course(root, assignment)  # fails early and clearly if the assignment is not in the gradebook
    _preflight(root)

    with _batch_lock(root, assignment):
        shutil.rmtree(root / GRADING_DIR / "staging" / assignment, ignore_errors=True)  # left by a killed run
        journal = Journal(root, assignment)
        finished = journal.finished()
        checksums = {s: _checksum(root / "submitted" / s / assignment) for s in available}
        outcomes: dict[str, GradeOutcome] = {}
        todo = []
        for student in available:
            record = finished.get(student)
            if record and record.get("checksum") == checksums[student] and not regrade and not students:
                outcomes[student] = GradeOutcome(student, True, note=record.get("note", ""), score=record.get("score"),
                                                 max_score=record.get("max_score"), skipped=True)
            else:
                todo.append(student)
        if outcomes:
            log(f"{len(outcomes)} submission(s) already graded by an earlier run are kept (use --regrade to grade them again)")
        if not todo:
            return [outcomes[s] for s in available]

        jobs = min(jobs or os.cpu_count() or 1, len(todo))
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

        if jobs == 1 and not scheduler:
            for student in todo:
                record(grade_submission(str(root), assignment, student))
        else:
            executor, description, close = make_executor(jobs, scheduler)
            log(f"grading {len(todo)} submission(s) of {assignment} with {description}")
            try:
                futures = {executor.submit(grade_submission, str(root), assignment, s): s for s in todo}
                for future in cf.as_completed(futures):
                    student = futures[future]
                    try:
                        record(future.result())
                    except Exception as exc:  # a worker that died: the submission is retried next run
                        record(asdict(GradeOutcome(student, False, message=f"the grading worker failed: {type(exc).__name__}: {exc}")))
            finally:
                close()
        bar.close()
    return [outcomes[s] for s in available]
