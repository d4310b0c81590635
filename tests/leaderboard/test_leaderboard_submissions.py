"""Receiving entries: daily cap on the platform's clock, immutable copies, pseudonyms, seeds."""

import json
import os
from datetime import datetime, timezone

import pytest

from course_lib.leaderboard.pseudonyms import PseudonymError, pseudonym_of, register_student, set_pseudonym
from course_lib.leaderboard.schema import Entry, ScoredRun
from course_lib.leaderboard.seeds import reveal_final, seed_info
from course_lib.leaderboard.submissions import (
    CAP_REFUSAL,
    INVALID_REFUSAL,
    entry_checksum,
    submissions_today,
    submit_entry,
)
from course_lib.leaderboard.worker import store_record

from .conftest import entry_folder, hand_record


def test_daily_cap_refuses_the_sixth_entry_until_midnight(make_store, clock, tmp_path):
    store = make_store()  # default cap: 5
    folder = entry_folder(tmp_path / "in", "maze")
    outcomes = [submit_entry(store, "ann", "maze", folder) for _ in range(5)]
    assert [str(o) for o in outcomes] == ["queued"] * 5
    assert outcomes[-1].used_today == 5 and outcomes[-1].daily_cap == 5

    refused = submit_entry(store, "ann", "maze", folder)
    assert str(refused) == CAP_REFUSAL == "refused: daily cap reached"
    assert refused.entry_id is None and not refused.queued
    assert "5 of 5" in refused.message and "midnight (UTC)" in refused.message and "15 h 0 min" in refused.message
    assert submit_entry(store, "bob", "maze", folder).queued  # the cap is per student

    clock.now = datetime(2026, 5, 4, 23, 59, tzinfo=timezone.utc)
    assert not submit_entry(store, "ann", "maze", folder).queued
    clock.now = datetime(2026, 5, 5, 0, 0, tzinfo=timezone.utc)  # a new day
    assert submit_entry(store, "ann", "maze", folder).queued
    assert submissions_today(store, "ann") == (1, 5)


def test_cap_uses_the_receipt_time_the_platform_passes_and_the_configured_timezone(make_store, tmp_path):
    store = make_store(daily_cap=1, day_timezone="Europe/Berlin")
    folder = entry_folder(tmp_path / "in", "maze")
    # 21:30 UTC is 23:30 in Berlin (summer time); 22:30 UTC is already the next day there
    assert submit_entry(store, "ann", "maze", folder, received_at=datetime(2026, 5, 4, 21, 30, tzinfo=timezone.utc)).queued
    assert not submit_entry(store, "ann", "maze", folder, received_at=datetime(2026, 5, 4, 21, 50, tzinfo=timezone.utc)).queued
    assert submit_entry(store, "ann", "maze", folder, received_at=datetime(2026, 5, 4, 22, 30, tzinfo=timezone.utc)).queued
    with store.session() as session:
        times = sorted(entry.received_at for entry in session.query(Entry))
    assert times[0] == datetime(2026, 5, 4, 21, 30, tzinfo=timezone.utc)  # stored and returned aware, in UTC


def test_instructor_setting_overrides_the_configured_cap(make_store, tmp_path):
    store = make_store(daily_cap=5)
    store.set_daily_cap(1)
    folder = entry_folder(tmp_path / "in", "maze")
    assert submit_entry(store, "ann", "maze", folder).queued
    assert str(submit_entry(store, "ann", "maze", folder)) == CAP_REFUSAL
    with pytest.raises(ValueError):
        store.set_daily_cap(-1)


def test_invalid_entries_are_refused_without_using_a_submission(make_store, tmp_path):
    store = make_store(daily_cap=1)
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = submit_entry(store, "ann", "maze", empty)
    assert str(refused) == INVALID_REFUSAL and "maze_policy.keras is missing" in refused.message
    bad_settings = entry_folder(tmp_path / "in", "autoencoder")
    (bad_settings / "autoencoder.json").write_text('{"batchsize": 30, "training": "FOREVER"}')
    refused = submit_entry(store, "ann", "autoencoder", bad_settings)
    assert str(refused) == INVALID_REFUSAL and "NORMAL" in refused.message
    assert submit_entry(store, "ann", "maze", entry_folder(tmp_path / "in", "maze")).queued


def test_platform_failures_give_the_submission_back(make_store, tmp_path):
    store = make_store(daily_cap=1)
    folder = entry_folder(tmp_path / "in", "maze")
    first = submit_entry(store, "ann", "maze", folder)
    record = hand_record("maze", 0, None) | {"accepted": False, "score": None, "rejection_reason": "internal_error",
                                             "message": "the platform failed"}
    store_record(store, first.run_id, record, exit_status=3)
    assert submit_entry(store, "ann", "maze", folder).queued


def test_entry_files_are_copied_read_only_with_their_checksum(store, tmp_path):
    folder = entry_folder(tmp_path / "in", "autoencoder", training="LONG", content=b"weights v1")
    (folder / "notes.txt").write_text("not part of the entry")
    outcome = submit_entry(store, "ann", "autoencoder", folder)
    (folder / "autoencoder.keras").write_bytes(b"changed after submitting")  # the copy is unaffected
    with store.session() as session:
        entry = session.get(Entry, outcome.entry_id)
        run = session.get(ScoredRun, outcome.run_id)
        copy = store.entries_dir / entry.files_dir
        assert sorted(p.name for p in copy.iterdir()) == ["autoencoder.json", "autoencoder.keras"]
        assert (copy / "autoencoder.keras").read_bytes() == b"weights v1"
        assert entry.checksum == entry_checksum(copy, ["autoencoder.keras", "autoencoder.json"])
        assert entry.training == "LONG" and entry.received_at == store.now()
        assert run.stage == "public" and run.status == "queued" and run.runs == 3
        assert not os.access(copy / "autoencoder.keras", os.W_OK) or os.geteuid() == 0


def test_generated_and_chosen_pseudonyms(store, tmp_path):
    folder = entry_folder(tmp_path / "in", "maze")
    submit_entry(store, "ann", "maze", folder, real_name="Ann Example")
    generated = pseudonym_of(store, "ann")
    assert generated and "ann" not in generated.lower()
    assert set_pseudonym(store, "ann", "  Gradient   Surfer ") == "Gradient Surfer"
    register_student(store, "bob", real_name="Bob Sample")
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(store, "bob", "gradient surfer")  # unique ignoring case
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(store, "bob", "Ann Example")  # nobody may appear under another's real name
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(store, "bob", "ann")  # ... or hub user name
    with pytest.raises(PseudonymError, match="characters"):
        set_pseudonym(store, "bob", "<script>")
    assert submit_entry(store, "bob", "maze", folder, pseudonym="Bob the Builder").queued
    assert pseudonym_of(store, "bob") == "Bob the Builder"
    kept = submit_entry(store, "bob", "maze", folder, pseudonym="Gradient Surfer")  # taken: entry still queued
    assert kept.queued and "pseudonym stays 'Bob the Builder'" in kept.message


def test_seeds_are_drawn_once_per_challenge_and_kept(store):
    first = seed_info(store, "maze")
    assert first == seed_info(store, "maze")
    assert first.public_seed != first.final_seed and not first.final_revealed
    assert seed_info(store, "autoencoder").public_seed != first.public_seed
    with pytest.raises(ValueError, match="not been scored"):
        reveal_final(store, "maze")
    with pytest.raises(ValueError, match="unknown challenge"):
        seed_info(store, "chess")


def test_result_records_are_stored_in_full(store, tmp_path):
    outcome = submit_entry(store, "ann", "maze", entry_folder(tmp_path / "in", "maze"))
    record = hand_record("maze", 2.5, 0.1) | {"returns": [2, 3], "reproducibility": {"keras": "3"}}
    store_record(store, outcome.run_id, record, exit_status=0)
    with store.session() as session:
        run = session.get(ScoredRun, outcome.run_id)
        assert run.status == "done" and run.accepted and run.score == 2.5 and run.boards == "maze"
        assert json.loads(run.record_json)["returns"] == [2, 3]
        assert session.get(Entry, outcome.entry_id).boards == "maze"


def test_configuration_from_the_environment(tmp_path):
    from course_lib.leaderboard.config import LeaderboardConfig

    local = LeaderboardConfig.from_env({"COURSE_ROOT": str(tmp_path), "COURSE_ID": "ml2026"})
    assert local.db_url == f"sqlite:///{tmp_path}/.state/leaderboard/leaderboard.sqlite"
    assert local.entries_dir == tmp_path / ".state/leaderboard/entries" and local.course_id == "ml2026"
    assert (local.daily_cap, local.maze_episodes, local.autoencoder_runs) == (5, 1000, 3)
    compose = LeaderboardConfig.from_env({
        "COURSE_LEADERBOARD_DB_URL": "postgresql+psycopg://lb:pw@db/leaderboard", "COURSE_LEADERBOARD_DIR": "/srv/lb",
        "COURSE_LEADERBOARD_DAILY_CAP": "3", "COURSE_LEADERBOARD_TIMEOUT": "120",
    })
    assert compose.db_url.startswith("postgresql") and str(compose.entries_dir) == "/srv/lb/entries"
    assert compose.daily_cap == 3 and compose.limits_for("autoencoder", 3).wall_time == 120
    assert local.limits_for("autoencoder", 3).wall_time == 2100 and local.limits_for("maze", 1).wall_time == 900
