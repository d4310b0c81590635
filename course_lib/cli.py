"""The `course` command for instructors."""

from __future__ import annotations

import argparse
import json
import sys

from .course_dir import CourseNotFound, find_course_root, load_config


def _cmd_grade(args: argparse.Namespace) -> int:
    from .grade_runner import grade
    from .sandbox import LimitsError, SandboxUnavailable

    root = find_course_root(args.course)
    try:
        outcomes = grade(root, args.assignment, args.student or None, show_progress=not args.quiet, jobs=args.jobs,
                         regrade=args.regrade, scheduler=args.scheduler)
    except (SandboxUnavailable, LimitsError) as exc:
        raise ValueError(str(exc)) from None
    for outcome in outcomes:
        if not outcome.success:
            print(f"FAILED {outcome.student}: {outcome.message}", file=sys.stderr)
        elif outcome.note and not outcome.skipped:
            print(f"NOTE {outcome.student}: {outcome.note}", file=sys.stderr)
    ok = sum(o.success for o in outcomes)
    kept = sum(o.skipped for o in outcomes)
    noted = sum(bool(o.note) for o in outcomes if o.success)
    extra = [f"{kept} kept from an earlier run"] if kept else []
    extra += [f"{noted} with a note for the student"] if noted else []
    print(f"graded {ok} of {len(outcomes)} submissions of {args.assignment}" + (f" ({', '.join(extra)})" if extra else ""))
    if ok < len(outcomes):
        print("run the same command again to retry the failed ones; graded submissions are not graded twice", file=sys.stderr)
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


def _cmd_check_graders(args: argparse.Namespace) -> int:
    from .authoring import expected_scores, parse_variant
    from .grading.corpus import check_corpus, in_one_kernel

    root = find_course_root(args.course)
    folder = root / "grader_tests" / args.assignment / "wrong_solutions"
    variants = [parse_variant(p) for p in sorted(folder.glob("*.py"))] if folder.is_dir() else []
    if not variants and args.second_seed is None:
        raise ValueError(f"{args.assignment} has no wrong solutions in {folder}")
    swappable = [v for v in variants if in_one_kernel(v)]
    result = check_corpus(root, args.assignment, swappable, args.seed, args.second_seed)
    if args.format == "json":
        print(json.dumps({"reference": result.reference, "restored": result.restored, "variants": result.variants,
                          "second_seed": result.second_seed,
                          "failure": result.failure, "full_pipeline": [v["name"] for v in variants if not in_one_kernel(v)]}))
        return 0 if result.failure is None else 1
    wrong = 0
    for variant in swappable:
        got, expected = result.variants.get(variant["name"]), expected_scores(result.reference, variant["loses"])
        wrong += got != expected
        print(f"{'ok ' if got == expected else 'BAD'} {variant['name']}" + ("" if got == expected else f": got {got}, expected {expected}"))
    for variant in variants:
        if not in_one_kernel(variant):
            print(f"--  {variant['name']}: needs the full pipeline (course grade)")
    if args.second_seed is not None:
        same = result.second_seed == result.reference
        print(f"{'ok ' if same else 'BAD'} the reference on seed {args.second_seed}" + ("" if same else f": {result.second_seed}"))
        wrong += not same
    if result.failure or result.restored != result.reference:
        print(f"the check could not finish cleanly: {result.failure or 'the restored reference no longer scores the same'}")
        return 1
    return 1 if wrong else 0


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

    p = sub.add_parser("grade", help="autograde collected submissions (submitted/ -> autograded/ + gradebook)")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="submissions graded at once on this machine (default: one per core)")
    p.add_argument("--regrade", action="store_true",
                   help="grade every submission again (after a grader fix); manual grades are kept")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on a dask.distributed cluster, e.g. tcp://10.0.0.5:8786 (workers: --nthreads 1, as root)")
    p.set_defaults(func=_cmd_grade)

    p = sub.add_parser(
        "challenge",
        add_help=False,
        help="course challenge score autoencoder|maze DIR [--seed S] [--runs K|--episodes N]; course challenge replay ENTRY_ID",
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_cmd_challenge)

    p = sub.add_parser("check-graders", help="check the hidden graders of an assignment against its wrong-solution corpus "
                                             "(the reference's kernel, one cell swapped per wrong solution)")
    p.add_argument("assignment")
    p.add_argument("--seed", type=int, default=None, help="secret seed to use (default: the course's)")
    p.add_argument("--second-seed", type=int, default=None,
                   help="also grade the reference on this seed's inputs (answers tuned to one seed's inputs fail there)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_check_graders)

    p = sub.add_parser("demo", help="run the whole pipeline on a demo course in demo/ and print the grades")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("hub", help="start the hub with the demo course (what `make run` does); `course hub worker`: the grading worker",
                       add_help=False)
    p.add_argument("hub_args", nargs=argparse.REMAINDER, help="--port, --state, --course-root; see `course hub --help`")
    p.set_defaults(func=_cmd_hub)

    p = sub.add_parser("grades", help="print scores per student and grade cell")
    p.add_argument("assignment")
    p.add_argument("--format", choices=["json", "csv"], default="csv")
    p.set_defaults(func=_cmd_grades)

    from .term.cli import register as register_term  # extend, deadlines, admission, export

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
