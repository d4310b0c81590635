"""Grading time of every assignment's reference solution on this machine, with the load it was measured at.

For each assignment in source/ it measures, in one run:

1. bare execution: the reference notebook run top to bottom by nbclient, no sandbox, no graders
   (the floor any grading must pay);
2. grading: `course grade` of the reference as the only submission (sandbox, the whole notebook,
   the hidden graders and the gradebook). A challenge is not graded but scored by the leaderboard:
   for it, the entry that its notebook writes is scored by `course challenge score` with the
   leaderboard's defaults (the scorer the leaderboard runs, here without its sandbox's start-up),
   against the challenge's own time limit.

Beside every figure it prints the 1-minute load average at the start and the end of the
measurement, and marks a figure taken while the machine was not quiet (load at the start above
--quiet-load): such a figure includes other work and overstates the time. --settle waits for the
load to drop before each measurement.

    python bench/bench_assignments.py [--settle SECONDS] [--quiet-load LOAD] [ASSIGNMENT ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
from _common import bare_seconds  # noqa: E402

from course_lib.authoring import reference_submission  # noqa: E402
from course_lib.leaderboard.config import CHALLENGE_ASSIGNMENTS, LeaderboardConfig, default_timeout  # noqa: E402

BUDGET_SECONDS = 180
BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COURSE_GRADING_SEED="1")


def load() -> float:
    return os.getloadavg()[0]


def settle(seconds: float, quiet_load: float) -> None:
    """Wait up to ``seconds`` for the 1-minute load to fall to ``quiet_load``."""
    deadline = time.monotonic() + seconds
    while load() > quiet_load and time.monotonic() < deadline:
        time.sleep(5)


def course_copy(base: Path, assignment: str) -> Path:
    """A scratch course holding one assignment and its reference as the only submission."""
    root = base / assignment
    root.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", root)
    for folder in ("source", "release", "grader_tests"):
        if (REPO / folder / assignment).is_dir():
            shutil.copytree(REPO / folder / assignment, root / folder / assignment)
    notebook = reference_submission(root / "source" / assignment / f"{assignment}.ipynb",
                                    root / "release" / assignment / f"{assignment}.ipynb")
    submitted = root / "submitted" / "reference" / assignment
    shutil.copytree(root / "release" / assignment, submitted)
    nbformat.write(notebook, submitted / f"{assignment}.ipynb")
    return root


def _last_line(result: subprocess.CompletedProcess) -> str:
    return "" if result.returncode == 0 else ((result.stderr or result.stdout).strip().splitlines() or ["failed"])[-1]


def grade_seconds(root: Path, assignment: str) -> tuple[float, str]:
    subprocess.run(["nbgrader", "generate_assignment", assignment, "--force", "--log-level=ERROR"],
                   cwd=root, env=ENV, check=True, capture_output=True)
    started = time.perf_counter()
    result = subprocess.run(["course", "grade", assignment, "--quiet"], cwd=root, env=ENV, capture_output=True, text=True)
    return time.perf_counter() - started, _last_line(result)


def score_seconds(entry: Path, challenge: str) -> tuple[float, str]:
    """The leaderboard's scoring of the entry the challenge notebook wrote, with the leaderboard's defaults."""
    started = time.perf_counter()
    result = subprocess.run(["course", "challenge", "score", challenge, str(entry), "--seed", "1", "--format", "json"],
                            cwd=entry, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        report = json.loads(result.stdout)
    except ValueError:
        return seconds, _last_line(result) or "the scorer printed no JSON report"
    return seconds, "" if report.get("accepted") else f"entry rejected: {report.get('message', '')}"


def budget_of(assignment: str) -> int:
    challenge = CHALLENGE_ASSIGNMENTS.get(assignment)
    if challenge is None:
        return BUDGET_SECONDS
    config = LeaderboardConfig.for_directory(tempfile.gettempdir())
    return default_timeout(challenge, config.autoencoder_runs if challenge == "autoencoder" else 1)


def measure(base: Path, assignment: str):
    """(bare s, loads, graded s, loads, problem) for one assignment."""
    root = course_copy(base, assignment)
    notebook = root / "submitted" / "reference" / assignment / f"{assignment}.ipynb"
    challenge = CHALLENGE_ASSIGNMENTS.get(assignment)
    entry = root / "entry"  # where a challenge notebook writes its entry
    entry.mkdir()
    before = load()
    bare = bare_seconds(notebook, timeout=3600, workdir=entry if challenge else None)
    bare_load = (before, load())
    before = load()
    graded, problem = score_seconds(entry, challenge) if challenge else grade_seconds(root, assignment)
    return bare, bare_load, graded, (before, load()), problem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment in source/")
    parser.add_argument("--quiet-load", type=float, default=1.0,
                        help="a 1-minute load average above this at the start of a measurement marks it as not quiet (default 1.0)")
    parser.add_argument("--settle", type=float, default=0.0,
                        help="wait up to this many seconds before each measurement for the load to fall to --quiet-load")
    args = parser.parse_args()
    os.environ["PATH"] = ENV["PATH"]  # the notebooks' kernels run `course` (a challenge scores its entry)
    known = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    unknown = sorted(set(args.assignments) - set(known))
    if unknown:
        parser.error(f"no such assignment in source/: {', '.join(unknown)} (known: {', '.join(known)})")
    assignments = args.assignments or known
    print(f"{os.cpu_count()} cores; load = 1-minute load average at the start -> end of each measurement; "
          f"'not quiet' = load above {args.quiet_load} at the start")
    print(f"{'assignment':34} {'bare s':>7} {'load':>11} {'graded s':>9} {'load':>11} {'ratio':>6}  within budget")
    over, noisy = 0, 0
    with tempfile.TemporaryDirectory(prefix="bench-assignments-") as base:
        for assignment in assignments:
            if args.settle:
                settle(args.settle, args.quiet_load)
            bare, bare_load, graded, graded_load, problem = measure(Path(base), assignment)
            budget = budget_of(assignment)
            ok = graded <= budget and not problem
            quiet = bare_load[0] <= args.quiet_load and graded_load[0] <= args.quiet_load
            over += not ok
            noisy += not quiet
            ratio = f"{graded / bare:6.2f}" if bare else "   n/a"
            notes = [f"(scored with the leaderboard's defaults; budget {budget} s)" if assignment in CHALLENGE_ASSIGNMENTS else "",
                     "" if quiet else "[not quiet: figures include other work]", problem]
            print(f"{assignment:34} {bare if bare is not None else float('nan'):7.1f} "
                  f"{bare_load[0]:5.1f}->{bare_load[1]:<5.1f} {graded:9.1f} {graded_load[0]:5.1f}->{graded_load[1]:<5.1f} "
                  f"{ratio}  {'yes' if ok else 'NO'} {' '.join(n for n in notes if n)}", flush=True)
    print(f"{len(assignments) - over} of {len(assignments)} assignments graded within budget "
          f"({BUDGET_SECONDS} s; challenges: their scoring's own limit)")
    if noisy:
        print(f"NOTE: {noisy} of {len(assignments)} rows were measured while the machine was not quiet "
              f"(load above {args.quiet_load}); run again on a quiet machine, or with --settle, for figures to publish")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
