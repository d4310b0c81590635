"""Shared fixtures: a scratch copy of the course and real command-line runs inside it."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def course_env(**extra: str) -> dict:
    """Environment for running course commands: the venv's tools first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("COURSE_ROOT", None)
    env.update(extra)
    return env


def run(cmd: list[str], cwd: Path, env: dict | None = None, check: bool = True, timeout: float = 900):
    """Run a real command; on failure show its output in the assertion."""
    result = subprocess.run(cmd, cwd=cwd, env=env or course_env(), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return result


_EMPTY_GRADEBOOK: list[Path] = []
_MAKING_GRADEBOOK = threading.Lock()


def empty_gradebook() -> Path:
    """An empty gradebook in nbgrader's schema, made once per test process.

    nbgrader stamps every new gradebook with the schema version it asks a separate `alembic`
    process for (1.3 s of CPU); courses made by the tests start from a copy of this one instead.
    """
    with _MAKING_GRADEBOOK:
        if not _EMPTY_GRADEBOOK:
            from nbgrader.api import Gradebook

            folder = Path(tempfile.mkdtemp(prefix="empty-gradebook-"))
            atexit.register(shutil.rmtree, folder, True)
            with Gradebook(f"sqlite:///{folder / 'gradebook.db'}", "mlphys"):
                pass
            _EMPTY_GRADEBOOK.append(folder / "gradebook.db")
    return _EMPTY_GRADEBOOK[0]


def make_course(target: Path, assignments: list[str] | None = None) -> Path:
    """A fresh course root with the repository's config, sources and graders, and an empty gradebook."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", target / "nbgrader_config.py")
    shutil.copy(empty_gradebook(), target / "gradebook.db")
    for folder in ("source", "grader_tests"):
        names = assignments or [p.name for p in (REPO / folder).iterdir() if p.is_dir()]
        for name in names:
            if (REPO / folder / name).is_dir():
                shutil.copytree(REPO / folder / name, target / folder / name)
    return target


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


_GENERATED: dict[str, Path] = {}
_GENERATING = threading.Lock()


def generated_course(target: Path, assignment: str) -> Path:
    """make_course(target, [assignment]) after `nbgrader generate_assignment` (release/ and gradebook).

    The generation runs once per test process and assignment; each caller gets its own copy.
    """
    with _GENERATING:
        template = _GENERATED.get(assignment)
        if template is None:
            template = make_course(Path(tempfile.mkdtemp(prefix=f"generated-{assignment}-")) / "course", [assignment])
            atexit.register(shutil.rmtree, template.parent, True)
            run(["nbgrader", "generate_assignment", assignment, "--force"], template)
            _GENERATED[assignment] = template
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target


# --- one real grading run per assignment, shared by the tests that inspect its outcomes ---

import json  # noqa: E402

import nbformat  # noqa: E402

from course_lib.authoring import expected_scores, parse_variant, reference_submission, variant_submission  # noqa: E402
from course_lib.course_dir import load_config  # noqa: E402
from course_lib.grading.check_graders import in_one_kernel  # noqa: E402
from course_lib.grading.grades import grade_table  # noqa: E402

VARIANT_DIRS = ("grader_tests/{a}/wrong_solutions", "tests/submission_variants/{a}")


def variants_for(assignment: str) -> list[dict]:
    """The wrong-solution corpus and the test-suite's own variants (attacks, warnings) of an assignment."""
    found = []
    for pattern in VARIANT_DIRS:
        folder = REPO / pattern.format(a=assignment)
        found += [parse_variant(p) for p in sorted(folder.glob("*.py"))] if folder.is_dir() else []
    return found


def autograded_cells(notebook_path: Path) -> dict[str, float]:
    nb = nbformat.read(notebook_path, as_version=4)
    return {
        c.metadata.nbgrader.grade_id: float(c.metadata.nbgrader.points)
        for c in nb.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade") and c.cell_type == "code"
        and not c.metadata.nbgrader.get("solution")
    }


# Secrets an instructor's or hub's environment typically holds; grading must not pass them on.
PLANTED_SECRETS = {"JUPYTERHUB_API_TOKEN": "planted-hub-token-5f2c", "COURSE_GRADEBOOK_PASSWORD": "planted-db-password-91ad"}


SECOND_SEED = "20261121"
# Appended to a batch's course configuration: `course grade` checks the corpus in the reference's kernel.
CORPUS_IN_THE_REFERENCE_KERNEL = """
from course_lib.grading.check_graders import CorpusExecute
c.Autograde.autograde_preprocessors = [CorpusExecute if p is HiddenGraderExecute else p
                                       for p in c.Autograde.autograde_preprocessors]
c.CorpusExecute.corpus_student = "reference"
c.CorpusExecute.second_seed = {second_seed}
c.CorpusExecute.report = {report!r}
"""


class GradedBatch:
    """A course in which the reference, the blank release and every variant were graded once.

    The reference, the blank release, the attack variants and wrong solutions marked
    ``rerun: notebook`` go through `course grade` as real submissions. The other wrong
    solutions are graded in the reference's own kernel once `course grade` has graded it
    (`CorpusExecute`: same graders, seed, sandbox and channel), which keeps TensorFlow notebooks
    affordable and runs each reference notebook once; that kernel's reference is also graded on
    SECOND_SEED's inputs.
    """

    def __init__(self, root: Path, assignment: str, seed: str):
        self.root, self.assignment, self.seed = generated_course(root, assignment), assignment, seed
        env = course_env(COURSE_GRADING_SEED=seed, **PLANTED_SECRETS)
        source = root / "source" / assignment / f"{assignment}.ipynb"
        release = root / "release" / assignment / f"{assignment}.ipynb"
        self.max_points = autograded_cells(release)
        self.variants = {v["name"]: v for v in variants_for(assignment)}
        corpus_dir = REPO / "grader_tests" / assignment / "wrong_solutions"
        swapped = {name for name, v in self.variants.items() if (corpus_dir / f"{name}.py").exists() and in_one_kernel(v)}
        notebooks = {"reference": reference_submission(source, release), "blank": nbformat.read(release, as_version=4)}
        notebooks.update({name: variant_submission(source, release, v) for name, v in self.variants.items() if name not in swapped})
        for student, nb in notebooks.items():
            folder = root / "submitted" / student.replace("_", "-") / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
        report = root / "corpus.json"
        checked = (root / "grader_tests" / assignment).is_dir()
        if checked:
            with open(root / "nbgrader_config.py", "a") as config:
                config.write(CORPUS_IN_THE_REFERENCE_KERNEL.format(second_seed=SECOND_SEED, report=str(report)))
        # Two submissions (the reference and the blank release) in one worker: the blank takes seconds, and a
        # second worker would import everything and start a second zygote for it (parallel batches keep both cores busy).
        jobs = ["--jobs", "1"] if len(notebooks) <= 2 else []
        self.grade_result = run(["course", "grade", assignment, "--quiet", *jobs], root, env, check=False)
        config = load_config(root)  # what `course grades` prints, read in this process
        table = grade_table(config.CourseDirectory.db_url, config.CourseDirectory.course_id, assignment).to_dict("records")
        self.scores: dict[str, dict[str, float]] = {}
        for row in table:
            if row["grade_cell"] in self.max_points:
                self.scores.setdefault(row["student"], {})[row["grade_cell"]] = row["score"]
        self.corpus: dict = {"failure": None, "reference": self.max_points, "restored": self.max_points, "variants": {},
                             "second_seed": None}
        if checked:
            self.corpus = (json.loads(report.read_text()) if report.is_file()
                           else {"failure": f"no corpus report from the reference's kernel\n{self.grade_result.stderr[-3000:]}"})
            for name, points in self.corpus.get("variants", {}).items():
                self.scores[name.replace("_", "-")] = points

    def of(self, student: str) -> dict[str, float]:
        return self.scores[student.replace("_", "-")]

    def expected(self, variant: dict) -> dict[str, float]:
        return expected_scores(self.max_points, variant["loses"])

    def autograded_notebook(self, student: str) -> Path:
        return self.root / "autograded" / student.replace("_", "-") / self.assignment / f"{self.assignment}.ipynb"


BATCH_THREADS = 2  # two batches at once: a batch's corpus runs in one serial kernel, so one alone leaves a core idle
_BATCHES: dict[tuple[str, str], Future] = {}


@pytest.fixture(scope="session")
def graded_batch(tmp_path_factory):
    """graded_batch(assignment, seed="1") -> GradedBatch, computed once per session.

    ``graded_batch.prefetch(assignments)`` queues batches to be graded in the background, two at a
    time, so that a module's tests find them ready in the order they ask.
    """
    pool = ThreadPoolExecutor(BATCH_THREADS, thread_name_prefix="graded-batch")

    def submit(assignment: str, seed: str = "1") -> Future:
        key = (assignment, seed)
        if key not in _BATCHES:
            root = tmp_path_factory.mktemp(f"{assignment}-seed{seed}") / "course"
            _BATCHES[key] = pool.submit(GradedBatch, root, assignment, seed)
        return _BATCHES[key]

    def get(assignment: str, seed: str = "1") -> GradedBatch:
        return submit(assignment, seed).result()

    get.prefetch = lambda assignments: [submit(a) for a in assignments]
    yield get
    pool.shutdown(cancel_futures=True)


# --- parallel runs: `make test` spreads the suite over two pytest-xdist workers ---

# Modules whose tests assert on graded_batch(assignment): the assignment, or None when it is the test's parameter.
BATCH_MODULES = {"tests/test_grader_quality.py": None, "tests/test_offline.py": None, "tests/test_release_sync.py": None,
                 "tests/test_submission_attacks.py": "lecture01"}
# The costliest work units, started first so that no long one is left for the end (measured on 2 cores).
HEAVY_FIRST = ("hub", "batch-lecture12", "tests/redteam/test_redteam.py", "batch-lecture05")


def work_unit(nodeid: str) -> str:
    """The tests that must run on one worker: those sharing a costly fixture or a fixed resource.

    The hub tests share one hub with fixed accounts and ports; the tests of one assignment share its
    graded batch and its generated course; the tests of a module share its module-scoped fixtures.
    """
    path, _, name = nodeid.partition("::")
    if path.startswith("tests/hub/"):
        return "hub"
    if path in BATCH_MODULES:
        assignment = BATCH_MODULES[path] or re.search(r"\[(\w+)\]$", name)
        if assignment:
            return f"batch-{assignment if isinstance(assignment, str) else assignment.group(1)}"
    return path


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with work_unit() as the groups (xdist's own xdist_group marks need pytest < 9.2)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnits(config, log)


def pytest_collection_modifyitems(config, items):
    if hasattr(config, "workerinput"):  # every worker sorts alike; the scheduler hands out units in this order
        rank = {name: index for index, name in enumerate(HEAVY_FIRST)}
        items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(rank)))


def in_xdist_worker(config) -> bool:
    """True inside a pytest-xdist worker, which sees the whole collection but runs only its share of it."""
    return hasattr(config, "workerinput")
