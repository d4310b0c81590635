"""pytest plugin that runs one assignment's hidden graders against one live kernel.

Hidden graders are ordinary pytest tests in ``grader_tests/<assignment>/``. Each is
marked ``@pytest.mark.grade_cell("<grade id>", weight=1)`` and uses two fixtures:

* ``student``: the proxy to the student's kernel (``student.call(name, *inputs)``);
* ``rng``: a ``numpy.random.Generator`` seeded from the course's secret seed, the
  test and an input key (the student and a digest of the submission), so inputs are fresh
  per student and per submission, and the same when one submission is graded again.

Only the message a grader writes into ``assert ..., "message"`` reaches the student;
pytest's own assertion introspection (which would print expected values) is switched
off and never shown.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from .student import StudentCodeError
from .verdicts import Check, CellVerdict

INTERNAL_ERROR = "the grader could not check this task (internal grader error); your instructor has been notified"


class GraderConfigurationError(RuntimeError):
    """The hidden graders themselves are broken; an instructor must fix them, not the student."""


def _stable_int(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _description(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "function", None), "__doc__", None)
    if doc and doc.strip():
        return doc.strip().splitlines()[0]
    return item.name.removeprefix("test_").replace("_", " ")


MEMORY_MESSAGE = ("checking this answer needed more memory than the graders may use; "
                  "is the answer far larger than the task asks for?")


def _student_message(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    if isinstance(exc, StudentCodeError):
        return " ".join(str(exc).split())
    if isinstance(exc, MemoryError):
        return MEMORY_MESSAGE
    if isinstance(exc, AssertionError):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else "the answer is not correct"
    return INTERNAL_ERROR


class HiddenGraderPlugin:
    """Collects per-grade-cell verdicts while pytest runs the hidden graders."""

    def __init__(self, student: Any, secret_seed: int, input_key: str, grade_points: dict[str, float],
                 on_event=lambda kind, payload: None):
        self._student = student
        self._secret_seed = int(secret_seed)
        self._input_key = input_key
        self._on_event = on_event  # ("collected", [(nodeid, grade id, description, weight)]) and ("check", {...})
        self.verdicts = {gid: CellVerdict(gid, pts) for gid, pts in grade_points.items()}
        self.internal_errors: list[str] = []
        self.unmarked: list[str] = []

    @pytest.fixture
    def student(self) -> Any:
        return self._student

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        test_key = f"{Path(str(request.node.path)).name}::{request.node.name}"
        return np.random.default_rng([self._secret_seed, _stable_int(test_key), _stable_int(self._input_key)])

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "grade_cell(grade_id, weight=1): the nbgrader cell this test scores")

    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config, items: list) -> None:
        selected, deselected = [], []
        for item in items:
            marker = item.get_closest_marker("grade_cell")
            if marker is None:
                self.unmarked.append(item.nodeid)
                deselected.append(item)
            elif marker.args[0] in self.verdicts:
                selected.append(item)
            else:
                deselected.append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = selected
        self._on_event("collected", [
            (item.nodeid, item.get_closest_marker("grade_cell").args[0], _description(item),
             float(item.get_closest_marker("grade_cell").kwargs.get("weight", 1.0)))
            for item in selected
        ])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and report.failed):
            marker = item.get_closest_marker("grade_cell")
            exc = call.excinfo.value if call.excinfo is not None else None
            internal = []
            if exc is not None and not isinstance(exc, (AssertionError, StudentCodeError, MemoryError)):
                internal = [f"{item.nodeid}: {type(exc).__name__}: {str(exc)[:500]}"]
                self.internal_errors += internal
            check = Check(
                description=_description(item),
                weight=float(marker.kwargs.get("weight", 1.0)),
                passed=report.passed,
                message=_student_message(exc),
            )
            self.verdicts[marker.args[0]].checks.append(check)
            self._on_event("check", {"nodeid": item.nodeid, "passed": check.passed, "message": check.message,
                                     "internal_errors": internal})


def run_hidden_graders(
    grader_dir: Path, student: Any, secret_seed: int, input_key: str, grade_points: dict[str, float],
    on_event=lambda kind, payload: None,
) -> HiddenGraderPlugin:
    """Run every hidden grader of ``grader_dir`` for the given grade cells, in this process; return the plugin.

    ``course grade`` calls it through ``isolation.run_graders``, in a child process with limits.
    """
    grader_dir = Path(grader_dir).resolve()
    plugin = HiddenGraderPlugin(student, secret_seed, input_key, grade_points, on_event)
    if not grade_points and not grader_dir.is_dir():
        return plugin  # nothing autograded (manual tasks only, or a challenge the leaderboard scores): no graders needed
    if not grader_dir.is_dir():
        raise GraderConfigurationError(f"no hidden graders found at {grader_dir}")
    args = [
        str(grader_dir),
        "-p",
        "no:terminal",
        "--assert=plain",
        "--import-mode=importlib",
        "--rootdir",
        str(grader_dir),
        "--confcutdir",
        str(grader_dir),
        "-o",
        "addopts=",
        "-o",
        "python_files=test_*.py",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        # pytest's own clean-up collects garbage several times over (a second per submission); the
        # graders' child process is thrown away after the run anyway
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        "--capture=sys",
        "-W",
        "ignore::DeprecationWarning",
    ]
    exit_code = pytest.main(args, plugins=[plugin])
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise GraderConfigurationError(f"hidden graders in {grader_dir} could not run (pytest exit code {int(exit_code)})")
    if plugin.unmarked:
        raise GraderConfigurationError(f"hidden graders without a grade_cell marker: {', '.join(plugin.unmarked)}")
    return plugin
