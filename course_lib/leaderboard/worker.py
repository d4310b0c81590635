"""The scoring worker: take queued runs, score each in a limited child process, store the result.

`run_once()` scores everything that is queued (public runs of new entries and final-seed runs)
one after another and returns a summary per run. The hub calls it when an entry arrives (in a
thread or an executor: it blocks while scoring); a periodic call picks up anything missed.

One bad entry never stops the queue: every failure, even an unexpected exception in the
worker itself, ends that run with a stored verdict and the worker moves on. Claiming a run is
an atomic ``queued -> running`` update, so two workers never score the same run. Runs left in
``running`` by a worker that died are queued again after twice the longest scoring timeout.

Students come first: their runs are claimed before reference runs, and a student's entry that
arrives while a reference entry is being scored stops that scoring (`preempt_reference_run`);
the reference run is queued again and scored once no student is waiting.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from course_lib.leaderboard.schema import DONE, PUBLIC, QUEUED, RUNNING, Entry, ScoredRun
from course_lib.leaderboard.scoring import ScoringOutcome, score_in_child, stop_all_children
from course_lib.leaderboard.store import Store, default_store
from course_lib.leaderboard.submissions import ENTRY_FILES, entry_checksum
from mlphys.challenges.score_entry import failure_record

Scorer = Callable[..., ScoringOutcome]
_lock = threading.Lock()  # guards the two below, and the kill of a preempted scoring
_scoring: dict[str, "_Job"] = {}  # "job": the run this process is scoring now
_preempted: set[int] = set()  # runs whose scoring was stopped for a student's entry


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    entry_id: int
    student: str | None
    challenge: str
    stage: str
    accepted: bool
    score: float | None
    score_stderr: float | None
    message: str
    rejection_reason: str | None


@dataclass(frozen=True)
class _Job:
    run_id: int
    entry_id: int
    student: str | None
    challenge: str
    stage: str
    files_dir: str
    checksum: str
    seed: int
    episodes: int | None
    runs: int | None


def run_once(store: Store | None = None, *, limit: int | None = None, scorer: Scorer = score_in_child) -> list[RunSummary]:
    """Score every queued run (at most `limit`); returns what happened to each."""
    store = store or default_store()
    requeue_stale_runs(store)
    done: list[RunSummary] = []
    while limit is None or len(done) < limit:
        job = claim_next_run(store)
        if job is None:
            break
        with _lock:
            _scoring["job"] = job
        try:
            summary = score_job(store, job, scorer)
        except Exception as error:  # noqa: BLE001 - the queue must go on
            summary = store_record(store, job.run_id, _worker_failure_record(job, error), exit_status=None)
        finally:
            with _lock:
                _scoring.pop("job", None)
                _preempted.discard(job.run_id)
        if summary is not None:
            done.append(summary)
    return done


def preempt_reference_run() -> bool:
    """Stop the scoring of a reference entry in this process, if one is running (a student's entry
    is waiting); its run is queued again. Returns whether a scoring was stopped."""
    with _lock:
        job = _scoring.get("job")
        if job is None or job.student is not None:
            return False
        _preempted.add(job.run_id)
        stop_all_children()
        return True


def claim_next_run(store: Store) -> _Job | None:
    """Atomically move the oldest queued run to `running` (students' before references'); None when
    the queue is empty."""
    while True:
        with store.session() as session:
            row = session.execute(
                select(ScoredRun, Entry)
                .join(Entry, ScoredRun.entry_id == Entry.id)
                .where(ScoredRun.status == QUEUED)
                # students' entries first: a reference row never keeps a student waiting for a score
                .order_by(Entry.reference_label.is_not(None), ScoredRun.queued_at, ScoredRun.id)
                .limit(1)
            ).first()
            if row is None:
                return None
            run, entry = row
            claimed = session.execute(
                update(ScoredRun)
                .where(ScoredRun.id == run.id, ScoredRun.status == QUEUED)
                .values(status=RUNNING, started_at=store.now())
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed == 1:
                return _Job(run.id, entry.id, entry.student_name, entry.challenge, run.stage, entry.files_dir,
                            entry.checksum, run.seed, run.episodes, run.runs)
        # another worker took it between our select and update: try the next one


def score_job(store: Store, job: _Job, scorer: Scorer = score_in_child) -> RunSummary | None:
    folder = store.entries_dir / job.files_dir
    try:
        intact = entry_checksum(folder, list(ENTRY_FILES[job.challenge])) == job.checksum
    except OSError:
        intact = False
    if not intact:
        record = _rejection_record(
            job,
            "the platform's copy of this entry is missing or changed after it was received; the course "
            "staff has to look into it",
            "internal_error",
        )
        return store_record(store, job.run_id, record, exit_status=None)
    outcome = scorer(
        job.challenge, folder, seed=job.seed, episodes=job.episodes, runs=job.runs,
        limits=store.config.limits_for(job.challenge, job.runs),
    )
    with _lock:
        preempted = job.run_id in _preempted
    if preempted:  # the killed child's result is dropped; the run waits in the queue again
        with store.session() as session:
            session.execute(update(ScoredRun).where(ScoredRun.id == job.run_id).values(status=QUEUED, started_at=None))
        return None
    return store_record(store, job.run_id, outcome.record, exit_status=outcome.exit_status)


def store_record(store: Store, run_id: int, record: dict, *, exit_status: int | None) -> RunSummary:
    """Write a result record into its run (status `done`) and return the summary."""
    record = _clean(record)
    accepted = bool(record.get("accepted"))
    with store.session() as session:
        run = session.get(ScoredRun, run_id)
        entry = session.get(Entry, run.entry_id)
        run.status = DONE
        run.finished_at = store.now()
        run.accepted = accepted
        run.message = str(record.get("message") or "")[:4000]
        run.rejection_reason = record.get("rejection_reason")
        run.score = _number(record.get("score")) if accepted else None
        run.score_stderr = _number(record.get("score_stderr")) if accepted else None
        run.heldout_cost = _number(record.get("heldout_cost")) if accepted else None
        run.heldout_cost_stderr = _number(record.get("heldout_cost_stderr")) if accepted else None
        run.bottleneck = record.get("bottleneck") if isinstance(record.get("bottleneck"), int) else None
        run.boards = ",".join(boards_of(record)) if accepted else ""
        run.wall_time_s = _number(record.get("wall_time_s"))
        run.exit_status = exit_status
        run.record_json = json.dumps(record, allow_nan=False)
        if run.stage == PUBLIC:
            entry.boards = run.boards
        if run.rejection_reason == "internal_error":
            entry.counts_toward_cap = False  # the platform's fault, not the student's
        return RunSummary(run.id, entry.id, entry.student_name, entry.challenge, run.stage, accepted,
                          run.score, run.score_stderr, run.message, run.rejection_reason)


def boards_of(record: dict) -> list[str]:
    """The boards an accepted record belongs on: ``<variant>/<training>`` or ``maze``."""
    if record.get("challenge") == "maze":
        return ["maze"]
    training = record.get("training")
    return [f"{variant}/{training}" for variant in record.get("variants") or []]


def requeue_stale_runs(store: Store, older_than: timedelta | None = None) -> int:
    """Queue again runs left `running` longer than `older_than` (a worker died); returns how many."""
    if older_than is None:
        config = store.config
        runs = max(config.autoencoder_runs, store.scoring_size("autoencoder_runs"))
        longest = max(config.limits_for("autoencoder", runs).wall_time, config.limits_for("maze", 1).wall_time)
        older_than = timedelta(seconds=2 * longest)
    with store.session() as session:
        return session.execute(
            update(ScoredRun)
            .where(ScoredRun.status == RUNNING, ScoredRun.started_at < store.now() - older_than)
            .values(status=QUEUED, started_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount


def requeue_run(store: Store, run_id: int) -> None:
    """Score a finished run again (e.g. after an internal error), with the same seed."""
    with store.session() as session:
        run = session.get(ScoredRun, run_id)
        if run is None:
            raise KeyError(f"no scored run {run_id}")
        run.status, run.started_at, run.finished_at, run.queued_at = QUEUED, None, None, store.now()
        session.get(Entry, run.entry_id).counts_toward_cap = True


def queued_count(store: Store) -> int:
    with store.session() as session:
        return len(session.scalars(select(ScoredRun.id).where(ScoredRun.status.in_((QUEUED, RUNNING)))).all())


def _rejection_record(job: _Job, message: str, reason: str) -> dict:
    return failure_record(job.challenge, job.seed, message, reason).to_dict()


def _worker_failure_record(job: _Job, error: Exception) -> dict:
    return _rejection_record(
        job,
        f"the platform failed while scoring this entry ({type(error).__name__}); the course staff has to look into it",
        "internal_error",
    )


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _clean(value):
    """Non-finite floats become None, so the stored JSON stays strict."""
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main() -> None:
    """``python -m course_lib.leaderboard.worker``: score what is queued, print one line per run."""
    for summary in run_once():
        verdict = f"{summary.score:.6g}" if summary.accepted and summary.score is not None else summary.rejection_reason
        print(f"run {summary.run_id} (entry {summary.entry_id}, {summary.challenge}, {summary.stage}): {verdict}")


if __name__ == "__main__":
    main()
