"""The `course` command for instructors."""

from __future__ import annotations

import argparse
import json
import sys

from .course_dir import CourseNotFound, find_course_root, load_config


def _cmd_grade(args: argparse.Namespace) -> int:
    from .grade_runner import grade

    root = find_course_root(args.course)
    outcomes = grade(root, args.assignment, args.student or None, show_progress=not args.quiet)
    for outcome in outcomes:
        if not outcome.success:
            print(f"FAILED {outcome.student}: {outcome.message}", file=sys.stderr)
    ok = sum(o.success for o in outcomes)
    print(f"graded {ok} of {len(outcomes)} submissions of {args.assignment}")
    return 0 if ok == len(outcomes) else 1


def _cmd_grades(args: argparse.Namespace) -> int:
    from .gradebook_report import grade_table

    root = find_course_root(args.course)
    config = load_config(root)
    table = grade_table(config.CourseDirectory.db_url, config.CourseDirectory.course_id, args.assignment)
    if args.format == "json":
        print(json.dumps(table.to_dict(orient="records"), indent=2))
    else:
        print(table.to_csv(index=False), end="")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import main as demo_main

    return demo_main(find_course_root(args.course))


def _cmd_challenge(args: argparse.Namespace) -> int:
    if args.rest[:1] == ["replay"]:
        from .leaderboard.cli import replay_cli

        return replay_cli(args.rest)
    from .challenges.cli import score_entry_cli

    return score_entry_cli(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    parser.add_argument("--course", help="course root (default: the folder with nbgrader_config.py at or above here)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("grade", help="autograde collected submissions (submitted/ -> autograded/ + gradebook)")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_grade)

    p = sub.add_parser(
        "challenge",
        add_help=False,
        help="course challenge score autoencoder|maze DIR [--seed S] [--runs K|--episodes N]; course challenge replay ENTRY_ID",
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_cmd_challenge)

    p = sub.add_parser("demo", help="run the whole pipeline on a demo course in demo/ and print the grades")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("grades", help="print scores per student and grade cell")
    p.add_argument("assignment")
    p.add_argument("--format", choices=["json", "csv"], default="csv")
    p.set_defaults(func=_cmd_grades)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["challenge"]:  # its own parser, options included
        return _cmd_challenge(argparse.Namespace(rest=argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CourseNotFound, KeyError, ValueError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        print(f"course: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
