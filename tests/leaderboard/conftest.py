"""A leaderboard store in a temporary folder, a controllable clock, and hand-made scored entries."""

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import submit_entry
from course_lib.leaderboard.worker import store_record

START = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)  # a Monday morning


class Clock:
    """The store's clock; tests move it forward."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def make_store(tmp_path, clock):
    """make_store(**config overrides) -> Store in its own folder, on the test clock."""
    made = []

    def make(**overrides):
        overrides.setdefault("maze_episodes", 20)
        store = Store(LeaderboardConfig.for_directory(tmp_path / f"state{len(made)}", **overrides), clock=clock)
        made.append(store)
        return store

    yield make
    for store in made:
        store.dispose()


@pytest.fixture
def store(make_store):
    return make_store(daily_cap=100)


def entry_folder(base: Path, challenge: str, *, training: str = "NORMAL", content: bytes = b"model") -> Path:
    """Files that pass the submission check (their content is not a real model)."""
    folder = base / f"{challenge}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True, exist_ok=True)
    if challenge == "maze":
        (folder / "maze_policy.keras").write_bytes(content)
    else:
        (folder / "autoencoder.keras").write_bytes(content)
        (folder / "autoencoder.json").write_text(json.dumps({"batchsize": 30, "training": training}))
    return folder


def hand_record(challenge: str, score: float, stderr: float | None, *, bottleneck: int = 9,
                training: str = "NORMAL", heldout: float | None = None) -> dict:
    """A result record as the scorer writes it, with chosen numbers."""
    if challenge == "maze":
        return {"challenge": "maze", "accepted": True, "message": "scored", "rejection_reason": None,
                "score": score, "score_stderr": stderr, "seed": 1, "episodes": 20, "returns": [], "wall_time_s": 1.0,
                "reproducibility": {}}
    variants = ["HARD", "MEDIUM"] if bottleneck <= 3 else ["MEDIUM"]
    return {"challenge": "autoencoder", "accepted": True, "message": "scored", "rejection_reason": None,
            "score": score, "score_stderr": stderr, "heldout_cost": heldout if heldout is not None else score * 1.1,
            "heldout_cost_stderr": stderr, "bottleneck": bottleneck, "variants": variants, "training": training,
            "seed": 1, "runs": [], "wall_time_s": 1.0, "reproducibility": {}}


@pytest.fixture
def scored(store, clock, tmp_path):
    """scored(student, challenge, score, stderr, minutes_later=0, **record) -> entry id, scored by hand."""

    def add(student, challenge, score, stderr=None, *, minutes=1, real_name=None, target=None, **record):
        target = target or store
        clock.advance(minutes=minutes)
        training = record.get("training", "NORMAL")
        outcome = submit_entry(target, student, challenge, entry_folder(tmp_path / "entries", challenge, training=training),
                               real_name=real_name)
        assert outcome.queued, outcome.message
        store_record(target, outcome.run_id, hand_record(challenge, score, stderr, **record), exit_status=0)
        return outcome.entry_id

    return add
