"""`course extend`, `course deadlines`, `course admission`, `course export`: the term's commands."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from ..course_dir import find_course_root, load_config
from .clock import Clock, parse_time
from .policy import load_policies, policy_of, read_extensions, write_extensions

POLICIES = "policies"


def policies_dir(root: Path) -> Path:
    return root / POLICIES


def _gradebook(root: Path) -> tuple[str, str]:
    config = load_config(root)
    return config.CourseDirectory.db_url, config.CourseDirectory.course_id


def _scores(root: Path, assignments: list[str] | None = None):
    from .scores import score_table

    db_url, course_id = _gradebook(root)
    return score_table(db_url, course_id, load_policies(policies_dir(root)), assignments)


def grant_extension(folder: Path, student: str, assignment: str, until: str | None = None,
                    hours: float | None = None, revoke: bool = False):
    """Give ``student`` their own closing time of ``assignment`` (or take it back); returns it."""
    policies = load_policies(folder)
    if assignment not in policies and not revoke:
        raise ValueError(f"there is no {Path(folder) / assignment}.toml: an extension moves the closing time it sets")
    policy = policy_of(policies, assignment)
    if (until is None) == (hours is None) and not revoke:
        raise ValueError("say either --until TIME or --hours N")
    extensions = read_extensions(folder)
    theirs = extensions.setdefault(assignment, {})
    if revoke:
        if theirs.pop(student, None) is None:
            raise KeyError(f"{student} has no extension of {assignment}")
        write_extensions(folder, extensions)
        return None
    if policy.closes is None:
        raise ValueError(f"{assignment} has no closing time (policies/{assignment}.toml), so there is nothing to extend")
    when = parse_time(until, "--until") if until else policy.closes + timedelta(hours=hours)
    if when <= policy.closes:
        raise ValueError(f"an extension must end after the closing time of {assignment} ({policy.closes.isoformat()})")
    theirs[student] = when
    write_extensions(folder, extensions)
    return when


def _cmd_extend(args) -> int:
    root = find_course_root(args.course)
    when = grant_extension(policies_dir(root), args.student, args.assignment, args.until, args.hours, args.revoke)
    print(f"{args.student}: {args.assignment} " + (f"closes at {when.isoformat()}" if when else "extension removed"))
    print("the hub's course-status service passes this to the exchange within seconds "
          "(or run `course deadlines --push`)", file=sys.stderr)
    return 0


def _cmd_deadlines(args) -> int:
    root = find_course_root(args.course)
    policies = load_policies(policies_dir(root))
    now = Clock().now()
    for name, policy in sorted(policies.items()):
        state = "not open" if not policy.is_open(now) else "closed" if policy.closes and now > policy.closes else "open"
        extra = f", {len(policy.extensions)} extension(s)" if policy.extensions else ""
        print(f"{name:24} {policy.kind:9} {state:9} opens {policy.opens.isoformat() if policy.opens else '-':26} "
              f"closes {policy.closes.isoformat() if policy.closes else '-':26} late={policy.late}{extra}")
    if args.push:
        from .sync import push

        pushed = push(policies_dir(root), _gradebook(root)[1])
        print(f"the exchange now enforces: {', '.join(pushed) or 'no policies'}")
    return 0


def _cmd_admission(args) -> int:
    from .admission import admission_table, load_rule

    root = find_course_root(args.course)
    rule = load_rule(policies_dir(root))
    table = admission_table(_scores(root), rule)
    print(f"admission rule: {rule.describe()}; {int(table['admitted'].sum())} of {len(table)} students admitted")
    print(table.to_string(index=False))
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"written to {args.csv}", file=sys.stderr)
    return 0


def _cmd_export(args) -> int:
    from .export import export_table
    from .scores import students

    root = find_course_root(args.course)
    scores = _scores(root, args.assignment or None)
    table = export_table(scores, students(*_gradebook(root)), args.format, args.section)
    output = args.output or f"grades-{args.format}.csv"
    table.to_csv(output, index=False)
    print(f"{len(scores['student'].unique())} students, {len(scores['assignment'].unique())} assignments -> {output} ({args.format})")
    return 0


def register(sub) -> None:
    """Add the term's subcommands to the `course` parser."""
    p = sub.add_parser("extend", help="give one student their own closing time of an assignment")
    p.add_argument("student")
    p.add_argument("assignment")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--until", help="the new closing time, ISO 8601 with an offset (2026-07-24T12:00:00+02:00)")
    when.add_argument("--hours", type=float, help="hours after the assignment's closing time")
    when.add_argument("--revoke", action="store_true", help="remove the student's extension")
    p.set_defaults(func=_cmd_extend)

    p = sub.add_parser("deadlines", help="list the assignments' policies (policies/*.toml)")
    p.add_argument("--push", action="store_true", help="hand them to the exchange now (COURSE_EXCHANGE_URL/_TOKEN)")
    p.set_defaults(func=_cmd_deadlines)

    p = sub.add_parser("admission", help="who is admitted to the exam (policies/admission.toml)")
    p.add_argument("--csv", help="also write the list to this CSV file")
    p.set_defaults(func=_cmd_admission)

    p = sub.add_parser("export", help="per-assignment and total scores as CSV for Moodle or Canvas")
    p.add_argument("--format", choices=["moodle", "canvas"], required=True)
    p.add_argument("--output", "-o", help="the CSV file (default grades-<format>.csv)")
    p.add_argument("--assignment", action="append", help="only these assignments (repeatable; default all)")
    p.add_argument("--section", default="", help="Canvas: the section column")
    p.set_defaults(func=_cmd_export)
