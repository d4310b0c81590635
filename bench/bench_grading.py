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

    python bench/bench_grading.py [--assignment lecture01] [--submissions 40] [--jobs N]
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
    parser.add_argument("--keep", action="store_true", help="keep the scratch courses")
    args = parser.parse_args()
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

        serial_root = scratch / "serial"
        shutil.copytree(template, serial_root)
        with open(serial_root / "nbgrader_config.py", "a") as handle:
            handle.write('\nc.HiddenGraderExecute.sandbox = "none"\n')
        started = time.perf_counter()
        sh(["nbgrader", "autograde", args.assignment, "--force"], serial_root, check=False)
        serial_wall = time.perf_counter() - started
        serial_graded = sum(1 for s in students if (serial_root / "autograded" / s / A / f"{A}.ipynb").exists())
        print(f"plain serial nbgrader autograde, course configuration, no sandbox: {serial_wall:.1f} s "
              f"({serial_graded} of {len(students)} submissions kept) {load_text()}")

        plain_root = scratch / "plain"
        shutil.copytree(template, plain_root)
        (plain_root / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(plain_root)))
        started = time.perf_counter()
        plain = sh(["nbgrader", "autograde", args.assignment, "--force"], plain_root, check=False)
        plain_wall = time.perf_counter() - started
        plain_graded = sum(1 for s in students if (plain_root / "autograded" / s / A / f"{A}.ipynb").exists())
        print(f"stock serial nbgrader autograde (no hidden graders): {plain_wall:.1f} s ({plain_graded} of "
              f"{len(students)} submissions kept; stock nbgrader drops the rest) {load_text()}")

        ours_root = scratch / "ours"
        shutil.copytree(template, ours_root)
        command = ["course", "grade", args.assignment, "--quiet"] + (["--jobs", str(args.jobs)] if args.jobs else [])
        started = time.perf_counter()
        ours = sh(command, ours_root, check=False)
        ours_wall = time.perf_counter() - started
        records = [json.loads(line) for line in (ours_root / "autograded" / ".grading" / f"{A}.jsonl").read_text().splitlines()]
        graded = sum(r["success"] for r in records)
        workers = len({r["worker"] for r in records})
        print(f"course grade (sandbox on, {workers} workers): {ours_wall:.1f} s ({graded} of {len(students)} graded, "
              f"{sum(bool(r['note']) for r in records)} with a note) {load_text(own=workers)}")
        if ours.returncode != 0:
            print(ours.stderr[-2000:])

        per_sub = {r["student"]: r["seconds"] for r in records}
        common = [s for s in bare if s in per_sub]
        overhead = statistics.mean(per_sub[s] - bare[s] for s in common)
        worker_seconds = ours_wall * workers / len(students)
        print(f"per submission: bare execution {statistics.mean(bare[s] for s in common):.2f} s, grading "
              f"{statistics.mean(per_sub[s] for s in common):.2f} s in a worker (sandbox, hidden graders, gradebook), "
              f"overhead {overhead:+.2f} s; batch cost {worker_seconds:.2f} worker-seconds per submission")
        print_phases(records)
        print(f"ratio course grade / plain serial nbgrader autograde (same grading): {ours_wall / serial_wall:.2f} "
              f"(target <= 0.45) {load_text(own=workers)}")
        print(f"ratio course grade / stock serial nbgrader autograde (no hidden graders): {ours_wall / plain_wall:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"scratch courses kept in {scratch}")


if __name__ == "__main__":
    main()
