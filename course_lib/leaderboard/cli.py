"""``course challenge replay ENTRY_ID [--stage public|final] [--format json|text]``.

Re-runs the platform's stored scoring of an entry with its stored seed (see `replay`) and prints
the stored and the new score side by side. The database is the one the environment configures
(`config`). Exit status: 0 identical, 1 different, 2 usage error or nothing to replay.
"""

from __future__ import annotations

import argparse
import json
import sys

from course_lib.leaderboard.schema import FINAL, PUBLIC


def build_replay_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course challenge replay", description="Replay a stored scored run.")
    parser.add_argument("entry_id", type=int)
    parser.add_argument("--stage", choices=(PUBLIC, FINAL), default=PUBLIC, help="which stored run (default public)")
    parser.add_argument("--format", choices=("json", "text"), default="json")
    return parser


def replay_cli(argv: list[str] | None = None, *, store=None, scorer=None) -> int:
    """Run the command line; returns the exit status. Accepts argv with or without "replay" first.

    `store` and `scorer` default to the configured database and the limited child process.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["replay"]:
        argv = argv[1:]
    try:
        args = build_replay_parser().parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    from course_lib.leaderboard.replay import ReplayError, replay

    try:
        report = replay(args.entry_id, store, stage=args.stage, **({"scorer": scorer} if scorer else {}))
    except ReplayError as error:
        print(f"course challenge replay: {error.args[0]}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_dict()))
    else:
        print(format_report(report))
    return 0 if report.identical else 1


def format_report(report) -> str:
    def score(value, stderr):
        if value is None:
            return "no score"
        return f"{value:.6g}" + (f" ± {stderr:.2g}" if stderr is not None else "")

    lines = [
        f"entry {report.entry_id}, {report.challenge}, {report.stage} run {report.run_id}, seed {report.seed}",
        f"stored:   {score(report.stored_score, report.stored_stderr)}",
        f"replayed: {score(report.replayed_score, report.replayed_stderr)}",
        "identical" if report.identical else f"DIFFERENT (largest per-step difference {report.max_abs_difference})",
    ]
    for key, (before, after) in report.version_differences.items():
        lines.append(f"{key}: stored {before}, now {after}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(replay_cli())
