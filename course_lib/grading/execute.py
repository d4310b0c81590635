"""nbgrader's Execute step, extended so that hidden graders judge a sandboxed live kernel.

It runs the submission's cells as nbgrader would, but in a kernel inside the submission's
own sandbox (see ``course_lib.sandbox``), then, with the kernel still alive, runs the
assignment's hidden pytest graders in this (trusted) process and writes their verdicts
into the autograder cells.

Every way a submission can fail is a graded outcome with a message, never a lost
submission: a kernel that dies (crash, ``os._exit``, SIGKILL, memory limit), a cell that
will not stop when interrupted, a submission that uses up its wall time, and a notebook
that could not even be read (staging says so in nbconvert's ``resources``).
The message reaches the student through every autograder cell's verdict and the
instructor through the log and, in ``resources``, ``course grade``'s summary.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient.client import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Enum, Float, Int, List, Unicode

from ..sandbox import Limits, Sandbox, load_limits
from ..sandbox.bwrap import allowed_environment
from ..sandbox.kernel import SandboxedKernelManager
from ..sandbox.messages import unreadable_reason
from ..sandbox.zygote import ZygoteFailed, ZygoteSandbox, zygote_for, zygote_possible
from mlphys import channel
from .isolation import GraderLimits, GraderRun, run_graders
from .autograde import RESOURCE_KEY
from .secrets import grading_seed, submission_key
from .student import KernelCaller, StudentCodeError
from .verdicts import apply_verdicts, autograder_cells

CALL_OUTPUT_BYTES = 1 << 20  # output a grader call may print besides its answer


def kernel_environment(home: str) -> dict[str, str]:
    """The student kernel's environment: an allow-list, a private HOME and a headless plot backend."""
    env = allowed_environment()
    env.update(HOME=home, MPLBACKEND="Agg", MPLCONFIGDIR=home, TF_CPP_MIN_LOG_LEVEL="2", PYTHONNOUSERSITE="1")
    return env


# Packages whose modules a zygote may import for every kernel of an assignment, when its locked cells import them.
PRELOADABLE = ("numpy", "matplotlib", "scipy", "pandas", "sklearn", "tensorflow", "keras")
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import|import[ \t]+([\w., \t]+))", re.MULTILINE)


def preload_for(nb: NotebookNode) -> tuple[str, ...]:
    """The modules of PRELOADABLE packages that the notebook's locked cells (the instructor's, restored by nbgrader) import."""
    code = "\n".join(
        cell.source for cell in nb.cells
        if cell.cell_type == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("locked")
        and not cell.metadata["nbgrader"].get("solution")
    )
    modules = []
    for origin, names in _IMPORT.findall(code):
        for name in [origin] if origin else [part.split()[0] for part in names.split(",") if part.strip()]:
            if name.split(".")[0] in PRELOADABLE and name not in modules:
                modules.append(name)
    return tuple(modules)


class KernelGone(Exception):
    """The kernel cannot run anything more; the message says why (for the student)."""


def _output_size(msg: dict) -> int:
    """Roughly the bytes an output adds to the notebook (decoded frames are bounded, so ``json.dumps`` is safe)."""
    content = msg.get("content")
    return len(json.dumps(content, default=str)) if content else 0


class HiddenGraderExecute(Execute):
    """Execute the notebook in a sandbox, then grade it from outside the kernel."""

    grader_tests_dir = Unicode("grader_tests", help="Folder with one subfolder of hidden graders per assignment.").tag(
        config=True
    )
    secrets_dir = Unicode(".secrets", help="Instructor-only folder holding the secret grading seed.").tag(config=True)
    secret_seed = Int(None, allow_none=True, help="Fixed secret seed (overrides the secrets folder).").tag(config=True)
    call_timeout = Float(60.0, help="Seconds one grader call into the student's code may take.").tag(config=True)
    sandbox = Enum(
        ["bwrap", "none"], "bwrap",
        help="Where the student's kernel runs: 'bwrap' (a sandbox per submission) or 'none' (unsafe; debugging only).",
    ).tag(config=True)
    limits = Dict(help="Course-wide overrides of the sandbox limits (see course_lib.sandbox.Limits); "
                       "an assignment's grader_tests/<assignment>/limits.toml overrides these.").tag(config=True)
    protected_paths = List(Unicode(), help="Folders and files the sandbox must never expose (source, graders, "
                                           "submissions, gradebook, secrets); checked before every kernel start.").tag(config=True)
    shutdown_kernel = Enum(
        ["graceful", "immediate"], "immediate",
        help="The kernel (and its sandbox) is killed once graded: nothing in it is worth a graceful shutdown.",
    ).tag(config=True)
    shared_imports = Bool(
        True, help="Fork each sandboxed kernel from a per-worker zygote that imported ipykernel and the assignment's "
                   "libraries once (root only); off: every kernel starts and imports them itself.",
    ).tag(config=True)
    submitted_dir = Unicode("", help="nbgrader's submitted/ folder: files that are symlinks there never reach the sandbox.").tag(
        config=True
    )

    # --- limits and outcomes ---------------------------------------------------------------------
    def assignment_limits(self, assignment: str) -> Limits:
        base = Limits(cell_timeout=int(self.timeout or Limits.cell_timeout), call_timeout=int(self.call_timeout))
        base = base.with_overrides(dict(self.limits), "c.HiddenGraderExecute.limits")
        return load_limits(Path(self.grader_tests_dir) / assignment, base)

    def _seed(self) -> int:
        return self.secret_seed if self.secret_seed is not None else grading_seed(self.secrets_dir)

    # --- output cap ------------------------------------------------------------------------------
    # Every way output reaches the notebook passes here: outputs, display updates and grader
    # replies. Comm messages (widgets) are dropped: their state would be written into the
    # notebook's metadata, and nothing graded needs it.
    store_widget_state = False

    def process_message(self, msg, cell, cell_index):
        unreadable = unreadable_reason(msg)
        if unreadable is None:
            return None if msg["msg_type"].startswith("comm") else super().process_message(msg, cell, cell_index)
        reason, oversize = unreadable
        if oversize:  # output far beyond the cap: cut like any other output
            self._output_cut, self._truncated = True, self._output_limit_text
        else:
            self._notes.append(f"the kernel sent {reason}; it was dropped")
        return None

    def _update_display_id(self, display_id, msg) -> None:
        """A display update rewrites every output shown under its id: each copy counts against the cap."""
        copies = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        size = _output_size(msg) * copies
        if self._output_left - size < 0:
            self._output_cut = True
            self._truncated = self._output_limit_text
            return None
        self._output_left -= size
        return super()._update_display_id(display_id, msg)

    def output(self, outs, msg, display_id, cell_index):
        data = msg.get("content", {}).get("data") or {}
        if channel.RESULT_MIME in data and self._in_call and msg.get("msg_type") == "display_data":
            # a grader's answer: one per call, bounded by the channel's own limit
            reply = data[channel.RESULT_MIME]
            if isinstance(reply, str) and len(reply) > channel.MAX_PAYLOAD_CHARS:
                return None
            msg["content"]["data"] = {channel.RESULT_MIME: reply}  # nothing rides along with an answer
            outs[:] = [o for o in outs if channel.RESULT_MIME not in (o.get("data") or {})]
            return super().output(outs, msg, display_id, cell_index)
        # outside a grader's call the channel's MIME type is ordinary output (answers are read from call cells only)
        size = _output_size(msg)
        if self._output_left - size < 0:
            if not self._output_cut:
                self._output_cut, self._truncated = True, self._output_limit_text
                note = nbformat.v4.new_output(
                    "stream", name="stdout",
                    text=f"\n... output truncated: the notebook printed more than its limit of {self._output_limit_text} ...\n",
                )
                outs.append(note)
            return None
        self._output_left -= size
        return super().output(outs, msg, display_id, cell_index)

    def set_widgets_metadata(self) -> None:
        """Widget state never reaches the graded notebook (see ``store_widget_state``)."""
        self.nb.metadata.pop("widgets", None)

    def _output_budget(self, size: int, text: str) -> None:
        self._output_left, self._output_cut, self._output_limit_text = size, False, text

    # --- the kernel ------------------------------------------------------------------------------
    async def _async_responds(self, within: float) -> bool:
        """Whether the kernel answers a kernel_info request (queued behind any running cell) in time."""
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=left)
            except Exception:
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False

    _responds = run_sync(_async_responds)

    def _gone(self, what: str) -> str:
        """Why the kernel died, as one sentence; kills what is left of the sandbox."""
        code = self.km.exit_code() if hasattr(self.km, "exit_code") else None
        why = self._box.exit_reason(code) if self._box is not None else "it crashed or was killed"
        if self._box is not None:
            self._box.kill(None)
        return f"the notebook's kernel died {what}: {why}"

    def _unresponsive(self, what: str, where: str) -> str | None:
        """None if the kernel answers again after an interrupt; else why it cannot go on (it is stopped)."""
        if self._responds(self._limits.interrupt_grace):
            return None
        if not run_sync(self.km.is_alive)():
            return self._gone(where)
        return self._stuck(what)

    def _unusable(self, exc: Exception, where: str) -> str:
        """A message the client could not process: stop the kernel, and say so (never a crash of the grading)."""
        self.log.warning("Kernel message broke the client %s: %s: %s", where, type(exc).__name__, str(exc)[:300])
        if self._box is not None:
            self._box.kill("it sent a message the platform could not process")
        return f"the notebook's kernel sent a message the platform could not process {where}, so it was stopped"

    def _stuck(self, what: str) -> str:
        if self._box is not None:
            self._box.kill("it did not stop when interrupted")
        else:
            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
        return f"{what} and did not stop when interrupted, so the kernel was stopped"

    def _timed_out(self, cell: NotebookNode) -> bool:
        return any(o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))

    def _left(self) -> float:
        return self._deadline - time.monotonic()

    def _execute_cells(self, resources, limits: Limits) -> str | None:
        """Run all cells; return why grading cannot reach the kernel, or None."""
        self._output_budget(limits.output_mb * 2**20, f"{limits.output_mb} MB")
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            left = self._left()
            if left <= 0:
                return self._note_cell(cell, f"the notebook used up its time limit of {limits.wall_time} s before cell {index + 1}")
            self.timeout = int(max(1, min(limits.cell_timeout, left)))
            try:
                self.preprocess_cell(cell, resources, index)
            except DeadKernelError:
                return self._note_cell(cell, self._gone(f"while running cell {index + 1}"))
            except CellTimeoutError:  # the reply came, its output did not (an interrupted or flooding cell)
                cell.outputs = list(cell.get("outputs", [])) + [nbformat.v4.new_output(
                    "error", ename="CellTimeoutError", evalue="", traceback=["CellTimeoutError: the cell's output did not arrive in time"])]
            except Exception as exc:  # a forged or malformed message broke the client: the kernel cannot be trusted further
                return self._note_cell(cell, self._unusable(exc, f"while running cell {index + 1}"))
            if self._timed_out(cell):
                where = f"while running cell {index + 1}"
                if self.timeout < limits.cell_timeout:
                    what = f"the notebook used up its time limit of {limits.wall_time} s in cell {index + 1}"
                    return self._note_cell(cell, self._unresponsive(what, where) or what)
                stopped = self._unresponsive(f"cell {index + 1} did not finish within {self.timeout} s", where)
                if stopped:
                    return self._note_cell(cell, stopped)
                self._notes.append(f"cell {index + 1} did not finish within {self.timeout} s and was interrupted")
        return None

    @staticmethod
    def _note_cell(cell: NotebookNode, reason: str) -> str:
        cell.outputs = list(cell.get("outputs", [])) + [
            nbformat.v4.new_output("error", ename="GradingStopped", evalue=reason, traceback=[reason])
        ]
        return reason

    def _run_grading_cell(self, cell: NotebookNode, timeout: float) -> None:
        # nbclient writes the executed cell back into the notebook, so the call cell is
        # appended for the duration of the call and removed again afterwards.
        if self._dead:
            raise StudentCodeError(self._dead)
        left = self._left()
        if left <= 0:
            self._dead = f"the submission used up its time limit of {self._limits.wall_time} s"
            raise StudentCodeError(self._dead)
        saved = self.timeout
        self.timeout = int(max(1, min(timeout, left)))
        self._output_budget(CALL_OUTPUT_BYTES, "1 MB during a grader's call")
        self._in_call = True
        self.nb.cells.append(cell)
        try:
            try:
                self.execute_cell(cell, len(self.nb.cells) - 1, store_history=False)
            except CellTimeoutError:
                cell.outputs = list(cell.get("outputs", [])) + [
                    nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="", traceback=[])]
            if self._timed_out(cell):
                self._dead = self._unresponsive("a grader's call into your code did not finish in time",
                                                "while the grader was calling your code")
        except DeadKernelError:
            self._dead = self._gone("while the grader was calling your code")
            raise StudentCodeError(self._dead) from None
        except Exception as exc:
            self._dead = self._unusable(exc, "while the grader was calling your code")
            raise StudentCodeError(self._dead) from None
        finally:
            self._in_call = False
            self.nb.cells.pop()
            self.timeout = saved

    @contextlib.contextmanager
    def _kernel(self, limits: Limits, resources: dict, student_id: str, assignment: str):
        """A started kernel (sandboxed unless configured off) for this notebook."""
        workdir = Path((resources or {}).get("metadata", {}).get("path") or ".")
        with tempfile.TemporaryDirectory(prefix="kernel-home-") as home:
            env = kernel_environment(home)
            if self.sandbox == "none":
                self._box = None
                with self.setup_kernel(env=env):
                    yield
                return
            submitted = Path(self.submitted_dir) / student_id / assignment if self.submitted_dir else None

            def not_for_the_kernel(rel: str) -> bool:
                # Notebook files hold nbgrader's restored task cells (mark schemes): the kernel gets the
                # cells it runs through the kernel protocol, never a file of them. Plain nbgrader copies
                # symlinked files' targets; never pass those on either.
                if rel.endswith(".ipynb"):
                    return True
                if submitted is None:
                    return False
                path = submitted
                for part in Path(rel).parts:
                    path = path / part
                    if path.is_symlink():
                        return True
                return False

            forbidden = [*self.protected_paths, self.grader_tests_dir, self.secrets_dir]
            with self._sandbox(limits, workdir, not_for_the_kernel, forbidden, env) as box:
                self._mark("sandbox start")
                self._box = box
                saved = self.kernel_manager_class
                self.kernel_manager_class = SandboxedKernelManager.for_sandbox(box)
                try:
                    with self.setup_kernel(env=env):
                        yield
                        self._copied_back = box.copy_back(workdir)
                finally:
                    self.kernel_manager_class = saved

    def _sandbox(self, limits: Limits, workdir: Path, skip, forbidden: list[str], env: dict) -> Sandbox:
        """This submission's sandbox: its kernel forked from the worker's zygote where possible, else started."""
        if self.shared_imports and zygote_possible():
            try:
                zygote = zygote_for(limits, tuple(forbidden), preload_for(self.nb), env)
                return ZygoteSandbox(zygote, files_from=workdir, skip_files=skip)
            except ZygoteFailed as exc:
                self.log.warning("Kernels are started one by one (no zygote): %s", exc)
        return Sandbox(limits, files_from=workdir, skip_files=skip, forbidden=forbidden)

    def _mark(self, phase: str) -> None:
        """Charge the time since the last mark to `phase` (the per-phase account of grading cost)."""
        now = time.monotonic()
        self._phases[phase] = round(self._phases.get(phase, 0.0) + now - self._last_mark, 4)
        self._last_mark = now

    def after_grading(self, caller, plugin, assignment: str, student_id: str, grade_points: dict[str, float]) -> None:
        """Called with the kernel still alive once the graders are done; grading itself needs nothing here."""

    def run_graders(self, assignment: str, caller: KernelCaller | None, failure: str | None, seed: int,
                    input_key: str, grade_points: dict[str, float]) -> GraderRun:
        """The hidden graders' verdicts, computed in a child process within the assignment's grader limits."""
        limits = self._limits
        grader_limits = GraderLimits(limits.grader_memory_mb, limits.grader_cpu_seconds, max(1.0, self._left()))
        return run_graders(Path(self.grader_tests_dir) / assignment, caller, failure, seed, input_key, grade_points,
                           limits.call_timeout, grader_limits)

    def preprocess(self, nb: NotebookNode, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        info = (resources or {}).get("nbgrader", {})
        assignment, student_id = info.get("assignment", ""), info.get("student", "")
        grade_points = {
            gid: float(cell.metadata["nbgrader"].get("points", 0)) for gid, cell in autograder_cells(self.nb).items()
        }
        limits = self._limits = self.assignment_limits(assignment)
        self._dead, self._box, self._copied_back, self._truncated, self._notes = None, None, None, False, []
        self._in_call, self._output_cut, self._output_left, self._output_limit_text = False, False, 0, ""
        started = self._last_mark = time.monotonic()
        self._phases: dict[str, float] = {}
        self._deadline = started + limits.wall_time
        course = (resources or {}).get(RESOURCE_KEY) or {}
        unreadable = course.get("unreadable")
        input_key = submission_key(student_id, self.nb)
        if unreadable:
            failure, peak = str(unreadable), 0
            plugin = self.run_graders(assignment, None, failure, self._seed(), input_key, grade_points)
            self._mark("hidden graders")
        else:
            with self._kernel(limits, resources, student_id, assignment):
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                if self._box is not None:
                    self._box.seal()  # the kernel is up and has run no student code yet
                self._mark("kernel start")
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                failure = self._execute_cells(resources, limits)
                self._mark("cell execution")
                self._dead = failure
                caller = None if failure else KernelCaller(self._run_grading_cell)
                plugin = self.run_graders(assignment, caller, failure, self._seed(), input_key, grade_points)
                failure = failure or self._dead
                if not failure:
                    self.after_grading(caller, plugin, assignment, student_id, grade_points)
                self._mark("hidden graders")
            self._mark("copy-back and teardown")
            peak = self._box.peak_memory if self._box is not None else 0
        if plugin.stopped:
            self._notes.append(plugin.stopped)
        for error in plugin.internal_errors:
            self.log.error("Hidden grader error for %s/%s: %s", assignment, student_id, error)
        if self._truncated:
            self._notes.append(f"output was cut: more than {self._truncated}")
        copied = self._copied_back
        if copied is not None and copied.skipped:
            more = f" and {len(copied.skipped) - 3} more" if len(copied.skipped) > 3 else ""
            self._notes.append(f"files the notebook wrote that were not kept: {'; '.join(copied.skipped[:3])}{more}")
        note = "; ".join(dict.fromkeys(filter(None, [failure, *self._notes])))
        if note:
            self.log.warning("Grading outcome for %s/%s: %s", assignment, student_id, note)
        self.resources.setdefault(RESOURCE_KEY, {})["outcome"] = {
            "note": note,
            "seconds": round(time.monotonic() - started, 2),
            "peak_memory_mb": round(peak / 2**20),
            "internal_errors": list(plugin.internal_errors),
            "output_truncated": bool(self._truncated),
            "phases": dict(self._phases),
        }
        apply_verdicts(self.nb, plugin.verdicts)
        self.set_widgets_metadata()
        return self.nb, self.resources
