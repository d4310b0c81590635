"""The `course` command for instructors."""

from __future__ import annotations

import argparse
import sys

from .course_dir import CourseNotFound, find_course_root


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import main as demo_main

    return demo_main(find_course_root(args.course))


def _cmd_challenge(args: argparse.Namespace) -> int:
    if args.rest[:1] == ["replay"]:
        from .leaderboard.cli import replay_cli

        return replay_cli(args.rest)
    from .challenges.cli import score_entry_cli

    return score_entry_cli(args.rest)


def _cmd_hub(args: argparse.Namespace) -> int:
    rest = list(args.hub_args)
    if rest[:1] == ["worker"]:
        from .hub.worker import main as worker_main

        return worker_main(rest[1:])
    from .hub.launcher import main as hub_main

    return hub_main(rest, repo=find_course_root(args.course))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    parser.add_argument("--course", help="course root (default: the folder with nbgrader_config.py at or above here)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "challenge",
        add_help=False,
        help="course challenge score autoencoder|maze DIR [--seed S] [--runs K|--episodes N]; course challenge replay ENTRY_ID",
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_cmd_challenge)

    p = sub.add_parser("demo", help="run the whole pipeline on a demo course in demo/ and print the grades")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("hub", help="start the hub with the demo course (what `make run` does); `course hub worker`: the grading worker",
                       add_help=False)
    p.add_argument("hub_args", nargs=argparse.REMAINDER, help="--port, --state, --course-root; see `course hub --help`")
    p.set_defaults(func=_cmd_hub)

    from .grading.cli import register as register_grading  # grade, grades, check-graders
    from .term.cli import register as register_term  # extend, deadlines, admission, export

    register_grading(sub)
    register_term(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["challenge"]:  # its own parser, options included
        return _cmd_challenge(argparse.Namespace(rest=argv[1:]))
    if argv[:1] == ["hub"]:  # its own parser too (`course hub --help`, `course hub worker ...`)
        return _cmd_hub(argparse.Namespace(hub_args=argv[1:], course=None))
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CourseNotFound, KeyError, ValueError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        print(f"course: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
