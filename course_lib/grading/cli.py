"""The grading verbs of the `course` command: ``grade``, ``grades`` and ``check-graders``."""

from __future__ import annotations

import argparse
import json
import sys

from ..course_dir import find_course_root, load_config


def _cmd_grade(args: argparse.Namespace) -> int:
    from .grade import grade
    from ..sandbox import LimitsError, SandboxUnavailable

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
    from .grades import grade_table

    root = find_course_root(args.course)
    config = load_config(root)
    table = grade_table(config.CourseDirectory.db_url, config.CourseDirectory.course_id, args.assignment)
    if args.format == "json":
        print(json.dumps(table.to_dict(orient="records"), indent=2))
    else:
        print(table.to_csv(index=False), end="")
    return 0


def _cmd_check_graders(args: argparse.Namespace) -> int:
    from ..authoring import expected_scores
    from .check_graders import check_corpus, corpus_variants, in_one_kernel

    root = find_course_root(args.course)
    grader_dir = root / "grader_tests" / args.assignment
    variants = corpus_variants(grader_dir)
    if not variants and args.second_seed is None:
        raise ValueError(f"{args.assignment} has no wrong solutions in {grader_dir / 'wrong_solutions'}")
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


def register(sub) -> None:
    """Add the grading verbs to the `course` command's subparsers."""
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

    p = sub.add_parser("check-graders", help="check the hidden graders of an assignment against its wrong-solution corpus "
                                             "(the reference's kernel, one cell swapped per wrong solution)")
    p.add_argument("assignment")
    p.add_argument("--seed", type=int, default=None, help="secret seed to use (default: the course's)")
    p.add_argument("--second-seed", type=int, default=None,
                   help="also grade the reference on this seed's inputs (answers tuned to one seed's inputs fail there)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_check_graders)

    p = sub.add_parser("grades", help="print scores per student and grade cell")
    p.add_argument("assignment")
    p.add_argument("--format", choices=["json", "csv"], default="csv")
    p.set_defaults(func=_cmd_grades)

