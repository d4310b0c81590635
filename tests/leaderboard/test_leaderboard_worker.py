"""The scoring worker with real child processes, and the replay of a stored maze run.

Real scorings are kept tiny (20 episodes of the random policy) and few: each child process
imports TensorFlow, which costs a few seconds.
"""

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from course_lib.leaderboard.cli import replay_cli
from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.replay import ReplayError, replay
from course_lib.leaderboard.schema import Entry, ScoredRun
from course_lib.leaderboard.scoring import ScoringOutcome, score_in_child
from course_lib.leaderboard.seeds import set_seeds
from course_lib.leaderboard.submissions import submit_entry, submissions_today
from course_lib.leaderboard.worker import claim_next_run, requeue_run, run_once, store_record

from .conftest import entry_folder

RANDOM_POLICY = Path(__file__).resolve().parents[2] / "course_lib/challenges/reference_entries/random_maze_policy"


@pytest.fixture
def random_policy_entry(tmp_path):
    folder = tmp_path / "random"
    shutil.copytree(RANDOM_POLICY, folder)
    return folder


def test_worker_scores_good_entries_and_survives_bad_ones(store, random_policy_entry, tmp_path):
    set_seeds(store, "maze", public_seed=4)
    corrupted = entry_folder(tmp_path / "in", "maze", content=b"\x00" * 64)
    broken_settings = entry_folder(tmp_path / "in", "autoencoder")
    outcomes = [
        submit_entry(store, "ann", "maze", corrupted),
        submit_entry(store, "bob", "autoencoder", broken_settings),
        submit_entry(store, "cem", "maze", random_policy_entry),
    ]
    assert all(o.queued for o in outcomes)
    summaries = {s.student: s for s in run_once(store)}

    assert summaries["ann"].accepted is False and summaries["ann"].rejection_reason == "corrupted_file"
    assert "corrupted" in summaries["ann"].message
    assert summaries["bob"].accepted is False and summaries["bob"].rejection_reason == "corrupted_file"
    good = summaries["cem"]
    assert good.accepted and good.rejection_reason is None and 0 <= good.score <= 5
    with store.session() as session:
        run = session.get(ScoredRun, outcomes[2].run_id)
        record = json.loads(run.record_json)
        assert run.status == "done" and run.boards == "maze" and run.seed == 4 and run.episodes == 20
        assert record["seed"] == 4 and len(record["returns"]) == 20 and record["score"] == run.score
        assert record["reproducibility"]["keras"] and record["wall_time_s"] > 0
    assert run_once(store) == []  # nothing left

    # the stored run replays exactly, through the function and the command line
    report = replay(outcomes[2].entry_id, store)
    assert report.identical and report.replayed_score == good.score and report.max_abs_difference == 0.0
    assert report.seed == 4 and report.version_differences == {}


def test_replay_reports_differences_and_the_command_line_prints_them(store, capsys, tmp_path):
    outcome = submit_entry(store, "ann", "maze", entry_folder(tmp_path / "in", "maze"))
    stored = {"challenge": "maze", "accepted": True, "message": "scored", "rejection_reason": None, "score": 1.5,
              "score_stderr": 0.2, "seed": 7, "episodes": 20, "returns": [1, 2], "reproducibility": {"keras": "old"}}
    job = claim_next_run(store)
    store_record(store, job.run_id, stored, exit_status=0)

    def scorer(challenge, folder, *, seed, episodes, runs, limits):
        assert (challenge, seed, episodes, runs) == ("maze", job.seed, 20, None)
        return ScoringOutcome(stored | {"returns": [1, 3], "score": 2.0, "reproducibility": {"keras": "new"}}, 0, "")

    report = replay(outcome.entry_id, store, scorer=scorer)
    assert not report.identical and report.max_abs_difference == 1.0
    assert report.version_differences == {"keras": ("old", "new")}

    # the command line, given "replay ENTRY_ID ..." as `course challenge` passes it
    status = replay_cli(["replay", str(outcome.entry_id), "--format", "json"], store=store, scorer=scorer)
    printed = json.loads(capsys.readouterr().out)
    assert status == 1 and printed["identical"] is False and printed["entry_id"] == outcome.entry_id
    assert printed["stored"]["score"] == 1.5 and printed["replayed"]["score"] == 2.0
    assert replay_cli([str(outcome.entry_id), "--format", "text"], store=store, scorer=scorer) == 1
    assert "DIFFERENT" in capsys.readouterr().out
    assert replay_cli(["999"], store=store) == 2
    assert "entry 999 has no public run" in capsys.readouterr().err
    with pytest.raises(ReplayError, match="no final run"):
        replay(outcome.entry_id, store, stage="final")


def test_an_exception_in_the_worker_ends_that_run_and_the_queue_goes_on(store, tmp_path):
    first = submit_entry(store, "ann", "maze", entry_folder(tmp_path / "in", "maze"))
    second = submit_entry(store, "bob", "maze", entry_folder(tmp_path / "in", "maze"))
    calls = []

    def flaky(challenge, folder, *, seed, **_):
        calls.append(folder)
        if len(calls) == 1:
            raise RuntimeError("scorer exploded")
        return ScoringOutcome({"challenge": "maze", "accepted": True, "message": "ok", "score": 2.0,
                               "score_stderr": float("nan"), "seed": seed}, 0, "")

    summaries = run_once(store, scorer=flaky)
    assert [s.rejection_reason for s in summaries] == ["internal_error", None]
    assert "RuntimeError" in summaries[0].message and summaries[1].score == 2.0
    assert summaries[1].score_stderr is None  # non-finite numbers are never stored
    assert submissions_today(store, "ann")[0] == 0  # the platform's fault: the submission is given back
    requeue_run(store, first.run_id)
    assert [s.run_id for s in run_once(store, scorer=flaky)] == [first.run_id]
    assert submissions_today(store, "ann")[0] == 1
    assert second.queued


def test_changed_entry_files_are_not_scored(store, tmp_path):
    outcome = submit_entry(store, "ann", "maze", entry_folder(tmp_path / "in", "maze"))
    with store.session() as session:
        copy = store.entries_dir / session.get(Entry, outcome.entry_id).files_dir
    (copy / "maze_policy.keras").chmod(0o600)
    (copy / "maze_policy.keras").write_bytes(b"tampered")
    [summary] = run_once(store, scorer=lambda *a, **k: pytest.fail("must not be scored"))
    assert summary.rejection_reason == "internal_error" and "changed" in summary.message


def test_child_process_limits_timeout_and_crash(random_policy_entry, tmp_path):
    config = LeaderboardConfig.for_directory(tmp_path)
    slow = score_in_child("maze", random_policy_entry, seed=1, episodes=5,
                          limits=dataclasses.replace(config.limits_for("maze", 1), wall_time=1))
    assert slow.timed_out and slow.record["accepted"] is False and slow.record["rejection_reason"] == "timeout"
    assert "limit of 1 s" in slow.record["message"] and slow.record["seed"] == 1
    crashed = score_in_child("maze", random_policy_entry, seed=1, episodes=5, python="/bin/false")
    assert crashed.record["rejection_reason"] == "scorer_crashed" and "exit status 1" in crashed.record["message"]
    starved = score_in_child("maze", random_policy_entry, seed=1, episodes=5, limits=dataclasses.replace(config.limits_for("maze", 1), memory_mb=300))
    assert starved.record["accepted"] is False
    assert starved.record["rejection_reason"] in ("scorer_crashed", "resource_limit", "internal_error")
    assert starved.record["seed"] == 1 and "Traceback" not in starved.record["message"]


def test_students_entries_are_scored_before_reference_rows(store, clock, tmp_path):
    from course_lib.leaderboard.references import register_reference_entries

    references = register_reference_entries(store)
    clock.advance(minutes=1)
    outcome = submit_entry(store, "ann", "maze", entry_folder(tmp_path, "maze"))
    first = claim_next_run(store)
    assert (first.entry_id, first.student) == (outcome.entry_id, "ann"), "a student's entry jumps the reference queue"
    second = claim_next_run(store)
    assert second.entry_id == min(references.values()) and second.student is None


def test_a_students_entry_stops_the_scoring_of_a_reference_entry(store, clock, tmp_path):
    """The reference's scoring (a real child process that would take a minute) is killed when a
    student's entry arrives; the student's run is scored next, then the reference's again."""
    import subprocess
    import threading

    from sqlalchemy import select

    from course_lib.leaderboard import scoring
    from course_lib.leaderboard.references import register_reference_entries
    from course_lib.leaderboard.worker import preempt_reference_run

    from .conftest import hand_record

    references = register_reference_entries(store)
    with store.session() as session:  # keep one reference run queued
        for label, entry_id in references.items():
            if label != "random policy":
                session.get(Entry, entry_id).runs[0].status = "done"
    started, calls, summaries = threading.Event(), [], []

    def scorer(challenge, folder, *, seed, episodes, runs, limits):
        child = subprocess.Popen(["sleep", "60" if not calls else "0"], start_new_session=True)
        scoring._running.add(child)
        started.set()
        try:
            child.wait()
        finally:
            scoring._running.discard(child)
        calls.append((folder.parent.name, child.returncode))
        return ScoringOutcome(hand_record("maze", 1.0, 0.1), child.returncode, "")

    worker = threading.Thread(target=lambda: summaries.extend(run_once(store, scorer=scorer)))
    worker.start()
    assert started.wait(30)
    clock.advance(minutes=1)
    student = submit_entry(store, "ann", "maze", entry_folder(tmp_path, "maze"))
    assert preempt_reference_run()
    worker.join(30)
    assert not worker.is_alive(), "the reference's scoring was not stopped"
    assert calls[0] == ("references", -9) and len(calls) == 3
    assert [(s.entry_id, s.student) for s in summaries] == [(student.entry_id, "ann"), (references["random policy"], None)]
    with store.session() as session:
        assert {run.status for run in session.scalars(select(ScoredRun))} == {"done"}
    assert not preempt_reference_run(), "nothing is being scored any more"
