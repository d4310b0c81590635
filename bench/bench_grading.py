"""Wall time of `course grade` (sandbox on, all cores) against plain serial `nbgrader autograde`.

Forty submissions of one assignment (lecture01 unless ``--assignment`` says otherwise), a mix of right (the reference), wrong (the graders' wrong-solution
corpus), blank and broken (a syntax error, an exception, a kernel that exits, invalid JSON),
graded four ways in one run, each in its own copy of the course:

1. bare execution: every notebook run top to bottom by nbclient, nothing else (the floor);
2. plain serial `nbgrader autograde lecture01` with the course's configuration and the sandbox
   off: the same grading (hidden graders, gradebook), one submission after another in one
   process, as nbgrader does it (the baseline of the target);
3. stock serial `nbgrader autograde lecture01`: stock Execute, no hidden graders at all (the
   autograder cells only hold comments, so this grades nothing; shown for scale);
4. `course grade lecture01`: one sandbox per submission, hidden graders, the gradebook, all cores.

It prints the wall-time ratios of 4 to 2 (target <= 0.45 on two cores) and 4 to 3, the
per-submission overhead of grading over bare execution (target <= 0.5 s), and where a
submission's grading time goes, phase by phase (median and max over the submissions). The
machine's load is printed beside every figure: figures from a busy machine are not comparable.

With ``--repeat N`` the baseline (2) and `course grade` (4) alternate N times and the ratio is the
median of the N pairs: on a shared or drifting machine one pair can be off by 20 %.

    python bench/bench_grading.py [--assignment lecture01] [--submissions 40] [--jobs N] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402
from _common import bare_seconds, load_text  # noqa: E402

from course_lib.authoring import parse_variant, reference_submission, variant_submission  # noqa: E402
from course_lib.grading.submission import PHASES  # noqa: E402

ASSIGNMENT = "lecture01"
BIN = Path(sys.executable).parent
PLAIN_CONFIG = """c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "mlphys"
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Execute.timeout = 300
"""
BROKEN = {  # what replaces one solution cell
    "syntax_error": "def solution(x):\n    return (x *",
    "exception": "raise RuntimeError('I gave up on this one')",
    "kernel_exits": "import os\nos._exit(1)",
}


def env(**extra) -> dict:
    out = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", COURSE_GRADING_SEED="2026", **extra)
    out.pop("COURSE_ROOT", None)
    return out


def sh(cmd: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env(), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return result


def build(base: Path, count: int, assignment: str) -> tuple[Path, dict[str, str]]:
    root = base / "course"
    root.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    for folder in ("source", "grader_tests"):
        shutil.copytree(REPO / folder / assignment, root / folder / assignment)
    sh(["nbgrader", "generate_assignment", assignment, "--force"], root)
    source = root / "source" / assignment / f"{assignment}.ipynb"
    release = root / "release" / assignment / f"{assignment}.ipynb"
    wrong = [parse_variant(p) for p in sorted((REPO / "grader_tests" / assignment / "wrong_solutions").glob("*.py"))]
    wrong = [v for v in wrong if v.get("base", "reference") == "reference"] or [None]
    cells = [c.metadata.nbgrader.grade_id for c in nbformat.read(source, as_version=4).cells
             if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    kinds: list[tuple[str, object]] = []
    for index in range(count):  # right, wrong, blank, broken in a fixed rotation
        slot = index % 10
        if slot in (0, 3, 6, 8):
            kinds.append(("right", reference_submission(source, release)))
        elif slot in (1, 4, 7) and wrong[0] is not None:
            variant = wrong[index % len(wrong)]
            kinds.append(("wrong", variant_submission(source, release, variant)))
        elif slot == 2:
            kinds.append(("blank", nbformat.read(release, as_version=4)))
        elif index % 4 == 1:
            kinds.append(("invalid_json", None))
        else:
            name = list(BROKEN)[index % len(BROKEN)]
            kinds.append((name, reference_submission(source, release, {cells[index % len(cells)]: BROKEN[name]})))
    students = {}
    for index, (kind, nb) in enumerate(kinds):
        student = f"student{index:02d}"
        folder = root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        if nb is None:
            (folder / f"{assignment}.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "1 +')
        else:
            nbformat.write(nb, folder / f"{assignment}.ipynb")
        students[student] = kind
    return root, students


def bare_execution(root: Path, students: dict[str, str], assignment: str) -> dict[str, float]:
    """Seconds to run each readable notebook with nbclient alone, serially (kernel start included)."""
    seconds = {student: bare_seconds(root / "submitted" / student / assignment / f"{assignment}.ipynb", timeout=300)
               for student in students}
    return {student: s for student, s in seconds.items() if s is not None}


def print_phases(records: list[dict]) -> None:
    """Where a submission's grading time goes: median and max per phase over the graded submissions."""
    rows = [r["phases"] for r in records if r.get("phases")]
    if not rows:
        return
    print(f"per-phase seconds per submission ({len(rows)} submissions):")
    print(f"  {'phase':<26}{'median':>8}{'max':>8}")
    for phase in PHASES:
        values = [row.get(phase, 0.0) for row in rows]
        print(f"  {phase:<26}{statistics.median(values):>8.3f}{max(values):>8.3f}")
    totals = [sum(row.values()) for row in rows]
    print(f"  {'total':<26}{statistics.median(totals):>8.3f}{max(totals):>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default=ASSIGNMENT, help="the assignment to grade (default lecture01), "
                        "e.g. sd_digits_keras for a TensorFlow one")
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=None, help="course grade --jobs (default: all cores)")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the serial baseline and `course grade` "
                        "this often and print the median ratio (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    scratch = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        A = args.assignment
        print(f"machine before the run {load_text()}")
        template, students = build(scratch / "template", args.submissions, A)
        mix = {k: sum(1 for v in students.values() if v == k) for k in sorted(set(students.values()))}
        print(f"{len(students)} {A} submissions: {mix}; {os.cpu_count()} cores")

        bare_root = scratch / "bare"
        shutil.copytree(template, bare_root)
        started = time.perf_counter()
        bare = bare_execution(bare_root, students, A)
        bare_wall = time.perf_counter() - started
        print(f"bare execution (nbclient, serial): {bare_wall:.1f} s, {statistics.mean(bare.values()):.2f} s per notebook {load_text()}")

        def timed(name: str, command: list[str], config: str = "", mode: str = "a") -> tuple[float, Path, subprocess.CompletedProcess]:
            """Wall time of ``command`` in a fresh copy of the course, whose nbgrader_config.py ``config``
            is appended to (mode "a") or replaces (mode "w")."""
            root = scratch / name
            shutil.copytree(template, root)
            if config:
                with open(root / "nbgrader_config.py", mode) as handle:
                    handle.write(config)
            started = time.perf_counter()
            result = sh(command, root, check=False)
            return time.perf_counter() - started, root, result

        def kept(root: Path) -> str:
            count = sum(1 for s in students if (root / "autograded" / s / A / f"{A}.ipynb").exists())
            return f"{count} of {len(students)} submissions kept"

        autograde = ["nbgrader", "autograde", A, "--force"]

        def serial_run(name: str) -> float:
            """Plain serial `nbgrader autograde` with the course's configuration, the sandbox off."""
            wall, root, _ = timed(name, autograde, '\nc.HiddenGraderExecute.sandbox = "none"\n')
            print(f"plain serial nbgrader autograde, course configuration, no sandbox: {wall:.1f} s ({kept(root)}) {load_text()}")
            return wall

        def stock_run() -> float:
            """Stock serial `nbgrader autograde`: stock Execute, no hidden graders at all (shown for scale)."""
            wall, root, _ = timed("plain", autograde, PLAIN_CONFIG.format(root=str(scratch / "plain")), mode="w")
            print(f"stock serial nbgrader autograde (no hidden graders): {wall:.1f} s ({kept(root)}; stock nbgrader "
                  f"drops the rest) {load_text()}")
            return wall

        def our_run(name: str) -> tuple[float, list[dict], int]:
            """`course grade`: a sandbox per submission, hidden graders, the gradebook, all cores."""
            command = ["course", "grade", A, "--quiet"] + (["--jobs", str(args.jobs)] if args.jobs else [])
            wall, root, result = timed(name, command)
            records = [json.loads(line) for line in (root / "autograded" / ".grading" / f"{A}.jsonl").read_text().splitlines()]
            workers = len({r["worker"] for r in records})
            print(f"course grade (sandbox on, {workers} workers): {wall:.1f} s ({sum(r['success'] for r in records)} of "
                  f"{len(students)} graded, {sum(bool(r['note']) for r in records)} with a note) {load_text(own=workers)}")
            if result.returncode != 0:
                print(result.stderr[-2000:])
            return wall, records, workers

        # The baseline and `course grade` alternate, so that a machine whose speed drifts during the run
        # weighs on both; each pair gives a ratio, and the median of them is the figure.
        pairs = []
        for round_no in range(args.repeat):
            serial_wall = serial_run(f"serial{round_no}")
            if round_no == 0:
                plain_wall = stock_run()
            ours_wall, records, workers = our_run(f"ours{round_no}")
            pairs.append((ours_wall / serial_wall, ours_wall, records, workers))
        ratio, ours_wall, records, workers = sorted(pairs, key=lambda pair: pair[0])[(len(pairs) - 1) // 2]

        per_sub = {r["student"]: r["seconds"] for r in records}
        common = [s for s in bare if s in per_sub]
        overhead = statistics.mean(per_sub[s] - bare[s] for s in common)
        worker_seconds = ours_wall * workers / len(students)
        print(f"per submission: bare execution {statistics.mean(bare[s] for s in common):.2f} s, grading "
              f"{statistics.mean(per_sub[s] for s in common):.2f} s in a worker (sandbox, hidden graders, gradebook), "
              f"overhead {overhead:+.2f} s; batch cost {worker_seconds:.2f} worker-seconds per submission")
        print_phases(records)
        each = f" (median of {len(pairs)} alternating pairs: {', '.join(f'{p[0]:.2f}' for p in pairs)})" if len(pairs) > 1 else ""
        print(f"ratio course grade / plain serial nbgrader autograde (same grading): {ratio:.2f}{each} "
              f"(target <= 0.45) {load_text(own=workers)}")
        print(f"ratio course grade / stock serial nbgrader autograde (no hidden graders): {ours_wall / plain_wall:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"scratch courses kept in {scratch}")


if __name__ == "__main__":
    main()
