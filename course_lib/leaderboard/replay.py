"""Replaying a stored scored run: same entry files, same seed, same size, a fresh process.

`replay(entry_id)` scores the platform's stored copy of the entry again with the seed and the
episode/run count stored with its run, in the same kind of limited child process, and compares
the new record with the stored one: the score, and the per-episode returns (maze) or per-batch
costs (autoencoder) one by one. It stores nothing. The maze is exactly reproducible; an
autoencoder replay on other hardware or library versions may differ in the last digits, which
`max_abs_difference` and `version_differences` make visible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select

from course_lib.leaderboard.schema import DONE, PUBLIC, Entry, ScoredRun
from course_lib.leaderboard.scoring import score_in_child
from course_lib.leaderboard.store import Store, default_store
from course_lib.leaderboard.submissions import ENTRY_FILES, entry_checksum

VERSION_KEYS = ("platform_version", "python", "numpy", "tensorflow", "keras", "networkx")


class ReplayError(LookupError):
    """The entry or its stored run cannot be replayed (unknown, not scored yet, files changed)."""


@dataclass
class ReplayReport:
    entry_id: int
    run_id: int
    challenge: str
    stage: str
    seed: int
    stored_score: float | None
    stored_stderr: float | None
    replayed_score: float | None
    replayed_stderr: float | None
    identical: bool  # the same verdict, score and every per-episode return / per-batch cost
    max_abs_difference: float | None  # largest difference between per-episode/per-batch values
    version_differences: dict[str, tuple[str, str]] = field(default_factory=dict)  # key: (stored, now)
    replayed_record: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {
            "entry_id": self.entry_id, "run_id": self.run_id, "challenge": self.challenge, "stage": self.stage,
            "seed": self.seed,
            "stored": {"score": self.stored_score, "score_stderr": self.stored_stderr},
            "replayed": {"score": self.replayed_score, "score_stderr": self.replayed_stderr,
                         "accepted": self.replayed_record.get("accepted"),
                         "message": self.replayed_record.get("message")},
            "identical": self.identical,
            "max_abs_difference": self.max_abs_difference,
            "version_differences": {key: list(value) for key, value in self.version_differences.items()},
        }


def replay(entry_id: int, store: Store | None = None, *, stage: str = PUBLIC, scorer=score_in_child) -> ReplayReport:
    """Re-run the stored `stage` run of `entry_id` and compare it with the stored record."""
    store = store or default_store()
    with store.session() as session:
        found = session.execute(
            select(ScoredRun, Entry).join(Entry, ScoredRun.entry_id == Entry.id)
            .where(Entry.id == entry_id, ScoredRun.stage == stage)
        ).first()
        if found is None:
            raise ReplayError(f"entry {entry_id} has no {stage} run")
        run, entry = found
        if run.status != DONE or run.record_json is None:
            raise ReplayError(f"the {stage} run of entry {entry_id} is {run.status}, not scored yet")
        stored = json.loads(run.record_json)
    folder = store.entries_dir / entry.files_dir
    if entry_checksum(folder, list(ENTRY_FILES[entry.challenge])) != entry.checksum:
        raise ReplayError(f"the stored files of entry {entry_id} do not match their checksum")
    episodes = stored.get("episodes") or run.episodes
    runs = len(stored.get("runs") or []) or run.runs
    outcome = scorer(entry.challenge, folder, seed=run.seed, episodes=episodes, runs=runs,
                     limits=store.config.limits_for(entry.challenge, runs))
    new = outcome.record
    difference = _max_difference(stored, new)
    identical = (
        bool(stored.get("accepted")) == bool(new.get("accepted"))
        and stored.get("score") == new.get("score")
        and stored.get("rejection_reason") == new.get("rejection_reason")
        and difference in (None, 0.0)
    )
    return ReplayReport(
        entry_id=entry.id, run_id=run.id, challenge=entry.challenge, stage=stage, seed=run.seed,
        stored_score=stored.get("score"), stored_stderr=stored.get("score_stderr"),
        replayed_score=new.get("score"), replayed_stderr=new.get("score_stderr"),
        identical=identical, max_abs_difference=difference,
        version_differences=_version_differences(stored, new), replayed_record=new,
    )


def _series(record: dict) -> list[float]:
    if record.get("challenge") == "maze":
        return [float(value) for value in record.get("returns") or []]
    return [float(cost) for run in record.get("runs") or [] for cost in run.get("batch_costs") or []]


def _max_difference(stored: dict, new: dict) -> float | None:
    old, fresh = _series(stored), _series(new)
    if not old and not fresh:
        return None
    if len(old) != len(fresh):
        return float("inf")
    return max((abs(a - b) for a, b in zip(old, fresh)), default=0.0)


def _version_differences(stored: dict, new: dict) -> dict[str, tuple[str, str]]:
    before, after = stored.get("reproducibility") or {}, new.get("reproducibility") or {}
    return {key: (before.get(key), after.get(key)) for key in VERSION_KEYS if before.get(key) != after.get(key)}
