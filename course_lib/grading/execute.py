"""nbgrader's Execute step, extended so that hidden graders judge the live kernel.

It runs the submission's cells as nbgrader would, then, with the kernel still alive,
runs the assignment's hidden pytest graders in this (trusted) process and writes their
verdicts into the autograder cells. A dead kernel is a graded outcome with a message,
not a lost submission.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nbclient.client import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
import nbformat
from nbgrader.preprocessors import Execute
from traitlets import Float, Int, Unicode

from .plugin import run_hidden_graders
from .secrets import grading_seed
from .student import StudentCodeError, StudentProxy, UnavailableStudent
from .verdicts import apply_verdicts, autograder_cells


# Variables a kernel needs to run; everything else (tokens, the grading seed, the
# instructor's configuration) stays out of the student's process.
KERNEL_ENV_ALLOWLIST = (
    "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV",
    "OMP_NUM_THREADS", "TF_NUM_INTEROP_THREADS", "TF_NUM_INTRAOP_THREADS", "NBGRADER_EXECUTION",
)


def kernel_environment(home: str) -> dict[str, str]:
    """The student kernel's environment: an allow-list, a private HOME and a headless plot backend."""
    env = {name: os.environ[name] for name in KERNEL_ENV_ALLOWLIST if name in os.environ}
    env.update(HOME=home, MPLBACKEND="Agg", MPLCONFIGDIR=home, TF_CPP_MIN_LOG_LEVEL="2", PYTHONNOUSERSITE="1")
    return env


class HiddenGraderExecute(Execute):
    """Execute the notebook, then grade it from outside the kernel."""

    grader_tests_dir = Unicode("grader_tests", help="Folder with one subfolder of hidden graders per assignment.").tag(
        config=True
    )
    secrets_dir = Unicode(".secrets", help="Instructor-only folder holding the secret grading seed.").tag(config=True)
    secret_seed = Int(None, allow_none=True, help="Fixed secret seed (overrides the secrets folder).").tag(config=True)
    call_timeout = Float(60.0, help="Seconds one grader call into the student's code may take.").tag(config=True)

    def _seed(self) -> int:
        return self.secret_seed if self.secret_seed is not None else grading_seed(self.secrets_dir)

    def _run_grading_cell(self, cell: NotebookNode, timeout: float) -> None:
        # nbclient writes the executed cell back into the notebook, so the call cell is
        # appended for the duration of the call and removed again afterwards.
        saved = self.timeout
        self.timeout = int(max(1, timeout))
        self.nb.cells.append(cell)
        try:
            self.execute_cell(cell, len(self.nb.cells) - 1, store_history=False)
        except DeadKernelError:
            raise StudentCodeError("the notebook's kernel died while the grader was calling your code") from None
        finally:
            self.nb.cells.pop()
            self.timeout = saved

    def _execute_cells(self, resources) -> str | None:
        """Run all cells; return why grading cannot reach the kernel, or None."""
        for index, cell in enumerate(self.nb.cells):
            try:
                self.preprocess_cell(cell, resources, index)
            except DeadKernelError:
                reason = f"the notebook's kernel died while running cell {index + 1} (crash, os._exit or memory limit)"
                cell.outputs = list(cell.get("outputs", [])) + [
                    nbformat.v4.new_output("error", ename="DeadKernelError", evalue=reason, traceback=[reason])
                ]
                return reason
        return None

    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        info = (resources or {}).get("nbgrader", {})
        assignment, student_id = info.get("assignment", ""), info.get("student", "")
        grade_points = {
            gid: float(cell.metadata["nbgrader"].get("points", 0)) for gid, cell in autograder_cells(self.nb).items()
        }
        with tempfile.TemporaryDirectory(prefix="kernel-home-") as home, self.setup_kernel(env=kernel_environment(home)):
            info_msg = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
            failure = self._execute_cells(resources)
            student = UnavailableStudent(failure) if failure else StudentProxy(self._run_grading_cell, self.call_timeout)
            plugin = run_hidden_graders(
                Path(self.grader_tests_dir) / assignment, student, self._seed(), student_id, grade_points
            )
        for error in plugin.internal_errors:
            self.log.error("Hidden grader error for %s/%s: %s", assignment, student_id, error)
        apply_verdicts(self.nb, plugin.verdicts)
        self.set_widgets_metadata()
        return self.nb, self.resources
