"""``course challenge score autoencoder|maze DIR [--seed S] [--runs K | --episodes N] [--format json|text]``.

Prints exactly one result on stdout (one JSON object by default). A bad entry is a result with
``accepted: false`` and a message, never a traceback. Anything TensorFlow writes to stdout from
C++ while scoring is diverted to stderr, so stdout stays parseable. The training budget is not
an option: it is fixed by the challenge rules.

Exit status: 0 accepted, 1 rejected, 2 usage error, 3 internal error (a platform bug; the
record then says so and stderr gets a one-line summary).
"""

import argparse
import secrets
import sys

from mlphys.challenges.score_entry import exit_status, score_safely


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course challenge", description="Score a challenge entry.")
    commands = parser.add_subparsers(dest="command", required=True)
    score = commands.add_parser("score", help="score one entry directory")
    challenges = score.add_subparsers(dest="challenge", required=True)

    autoencoder = challenges.add_parser("autoencoder", help="autoencoder.keras + autoencoder.json")
    autoencoder.add_argument("entry_dir")
    autoencoder.add_argument("--runs", type=_positive_int, default=None, help="training runs K (default 3)")
    maze = challenges.add_parser("maze", help="maze_policy.keras")
    maze.add_argument("entry_dir")
    maze.add_argument("--episodes", type=_positive_int, default=None, help="episodes N (default 1000)")
    for sub in (autoencoder, maze):
        sub.add_argument("--seed", type=_seed, default=None, help="secret seed (default: a fresh random one)")
        sub.add_argument("--format", choices=("json", "text"), default="json")
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seed(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be non-negative")
    return value


def score_entry_cli(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**53)
    result = score_safely(args.challenge, args.entry_dir, seed, runs=getattr(args, "runs", None),
                          episodes=getattr(args, "episodes", None))
    if args.format == "json":
        print(result.to_json())
    else:
        print(format_text(result.to_dict()))
    sys.stdout.flush()
    return exit_status(result)


def format_text(record: dict) -> str:
    """A short human-readable summary of a result record."""
    lines = [f"{record['challenge']}: {'ACCEPTED' if record['accepted'] else 'REJECTED'}", record["message"]]
    if record.get("score") is not None:
        stderr = record.get("score_stderr")
        lines.append(f"score {record['score']:.6g}" + (f" ± {stderr:.2g}" if stderr is not None else ""))
    if record.get("heldout_cost") is not None:
        stderr = record.get("heldout_cost_stderr")
        lines.append(f"held-out cost {record['heldout_cost']:.6g}" + (f" ± {stderr:.2g}" if stderr is not None else ""))
    if record.get("bottleneck") is not None:
        lines.append(f"bottleneck {record['bottleneck']} -> {', '.join(record['variants']) or 'none'}")
    lines.append(f"seed {record['seed']}, wall time {record['wall_time_s']:.1f} s")
    return "\n".join(lines)


def main() -> None:
    sys.exit(score_entry_cli(sys.argv[1:]))


if __name__ == "__main__":
    main()
