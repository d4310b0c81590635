"""The command line prints exactly one JSON object and never a traceback for a bad entry."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_lib.challenges.cli import build_parser, format_text
from course_lib.challenges.reference_models import build_uniform_random_policy

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.run(
        [sys.executable, "-m", "course_lib.challenges.cli", *map(str, args)],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    return process


def test_maze_entry_scored_as_one_json_object(write_policy):
    entry = write_policy(build_uniform_random_policy())
    process = run_cli("score", "maze", entry, "--seed", 4, "--episodes", 25)
    assert process.returncode == 0, process.stderr
    record = json.loads(process.stdout)  # the whole of stdout is one JSON document
    assert record["accepted"] is True and record["challenge"] == "maze"
    assert record["seed"] == 4 and record["episodes"] == 25 and len(record["returns"]) == 25
    assert "Traceback" not in process.stderr


def test_rejected_autoencoder_entry_is_a_record_not_a_traceback(tmp_path):
    entry = tmp_path / "empty_entry"
    entry.mkdir()
    process = run_cli("score", "autoencoder", entry, "--seed", 1, "--format", "json")
    assert process.returncode == 1
    record = json.loads(process.stdout)
    assert record["accepted"] is False and "autoencoder.json is missing" in record["message"]
    assert record["reproducibility"]["keras"] and record["reproducibility"]["tensorflow"] != "not installed"
    assert "Traceback" not in process.stderr


def test_text_format_and_fresh_seed(tmp_path):
    process = run_cli("score", "maze", tmp_path, "--format", "text")
    assert process.returncode == 1
    assert process.stdout.startswith("maze: REJECTED") and "maze_policy.keras is missing" in process.stdout


def test_budget_cannot_be_changed_from_the_command_line():
    parser = build_parser()
    for extra in (["--images", "10"], ["--budget", "10"], ["--steps", "3"], ["--_budget_images", "10"]):
        with pytest.raises(SystemExit):
            parser.parse_args(["score", "autoencoder", "dir", *extra])
    args = parser.parse_args(["score", "autoencoder", "dir", "--seed", "3", "--runs", "2"])
    assert (args.seed, args.runs) == (3, 2)
    with pytest.raises(SystemExit):
        parser.parse_args(["score", "maze", "dir", "--runs", "2"])


def test_format_text_of_an_accepted_autoencoder_record():
    text = format_text(
        {"challenge": "autoencoder", "accepted": True, "message": "scored", "score": 0.04, "score_stderr": 0.002,
         "heldout_cost": 0.05, "heldout_cost_stderr": None, "bottleneck": 9, "variants": ["MEDIUM"], "seed": 1, "wall_time_s": 3.0}
    )
    assert "ACCEPTED" in text and "score 0.04 ± 0.002" in text and "bottleneck 9 -> MEDIUM" in text


def test_a_platform_failure_still_gives_one_record_and_its_own_exit_status(monkeypatch, capfd, tmp_path):
    from course_lib.challenges import cli
    from mlphys.challenges import score_entry

    def broken(challenge, entry_dir, seed, runs=None, episodes=None):
        print("noise a library printed")  # must not reach stdout
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(score_entry, "score", broken)
    status = cli.score_entry_cli(["score", "maze", str(tmp_path), "--seed", "5"])
    out, err = capfd.readouterr()
    assert status == 3
    record = json.loads(out)
    assert record["accepted"] is False and record["rejection_reason"] == "internal_error" and record["seed"] == 5
    assert "noise a library printed" in err and "disk on fire" in err and "Traceback" not in err
