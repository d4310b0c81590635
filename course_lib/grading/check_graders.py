"""Check a wrong-solution corpus against the hidden graders in one sandboxed kernel.

Grading every wrong solution as a full submission re-runs the whole notebook each time, and
with TensorFlow notebooks that is most of a test suite's time. Most wrong solutions are one
function written wrongly, so this runs the reference notebook once, then for each such
variant runs its replacement cell, runs the hidden graders, and runs the reference cell again
to restore the kernel. The graders, the secret seed, the sandbox and the data channel are the
ones `course grade` uses; only nbgrader's bookkeeping is skipped.

The same check can ride on a real grading run: with ``CorpusExecute`` in the course's
autograde preprocessors and ``c.CorpusExecute.corpus_student`` set, `course grade` grades that
student's submission as usual and then checks the corpus in its kernel, writing the result to
``c.CorpusExecute.report`` (the test suite grades every assignment's reference this way, so the
reference notebook runs once, not twice).

A variant whose mistake only shows when the rest of the notebook runs again (a wrong model
that is trained by a later cell) says ``# rerun: notebook`` in its header; such variants, and
those that start from the blank release, are left to the full pipeline (`in_one_kernel`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from traitlets import Int, Unicode

from ..authoring import parse_variant, reference_submission, solution_sources
from ..course_dir import load_config
from .execute import HiddenGraderExecute
from .student import StudentCodeError


def in_one_kernel(variant: dict) -> bool:
    """Whether a variant's effect is fully captured by swapping its cell in a live kernel."""
    return variant["base"] == "reference" and variant.get("rerun", "cell") == "cell" and "*" not in variant["loses"]


def corpus_variants(grader_dir: Path) -> list[dict]:
    """Every wrong solution of an assignment's graders folder, in name order."""
    folder = grader_dir / "wrong_solutions"
    return [parse_variant(p) for p in sorted(folder.glob("*.py"))] if folder.is_dir() else []


@dataclass
class CorpusResult:
    """Points per grade cell for the reference and each variant, and what went wrong on the way."""

    reference: dict[str, float] = field(default_factory=dict)
    variants: dict[str, dict[str, float]] = field(default_factory=dict)
    restored: dict[str, float] = field(default_factory=dict)
    second_seed: dict[str, float] = field(default_factory=dict)
    failure: str | None = None


class CorpusExecute(HiddenGraderExecute):
    """HiddenGraderExecute that, once `corpus_student`'s submission is graded, grades each variant in the same kernel.

    Every other submission is graded exactly as HiddenGraderExecute grades it.
    """

    corpus_student = Unicode("", help="The submission (a reference solution) in whose kernel the wrong-solution "
                                      "corpus is checked after it is graded; empty: none.").tag(config=True)
    second_seed = Int(None, allow_none=True, help="Also grade that submission on this seed's inputs.").tag(config=True)
    report = Unicode("", help="JSON file the corpus check's result is written to.").tag(config=True)

    def __init__(self, variants: list[dict] | None = None, **kwargs):
        super().__init__(**kwargs)
        self._variants = variants  # None: the assignment's whole corpus that fits in one kernel
        self.result = CorpusResult()

    def after_grading(self, caller, plugin, assignment: str, student_id: str, grade_points: dict[str, float]) -> None:
        if student_id != self.corpus_student:
            return
        try:
            self._check_corpus(caller, plugin, assignment, student_id, grade_points)
        finally:
            self._write_report()

    def _check_corpus(self, caller, plugin, assignment: str, student_id: str, grade_points: dict[str, float]) -> None:
        variants = self._variants
        if variants is None:
            variants = [v for v in corpus_variants(Path(self.grader_tests_dir) / assignment) if in_one_kernel(v)]
        restore = solution_sources(self.nb)  # the graded submission's own solution cells

        def points(seed: int, sid: str) -> dict[str, float]:
            graded = self.run_graders(assignment, caller, None, seed, sid, grade_points)
            return {gid: v.points for gid, v in graded.verdicts.items()}

        self.result.reference = {gid: v.points for gid, v in plugin.verdicts.items()}
        for variant in variants:
            try:
                if variant["replaces"] not in restore:
                    raise StudentCodeError(f"it replaces {variant['replaces']!r}, which is not a solution cell")
                self._run_code(variant["code"])
                self.result.variants[variant["name"]] = points(self._seed(), variant["name"].replace("_", "-"))
                self._run_code(restore[variant["replaces"]])
            except StudentCodeError as exc:
                self.result.failure = f"variant {variant['name']}: {exc}"
                return
        self.result.restored = points(self._seed(), student_id)
        if self.second_seed is not None:  # the notebook's own run does not depend on the grading seed
            self.result.second_seed = points(self.second_seed, student_id)

    def _write_report(self) -> None:
        if self.report:
            target = Path(self.report)
            temporary = target.with_name(f".{target.name}.{os.getpid()}")
            temporary.write_text(json.dumps(asdict(self.result)))
            temporary.replace(target)

    def _run_code(self, code: str) -> None:
        self._run_grading_cell(nbformat.v4.new_code_cell(code), self._limits.cell_timeout)


def check_corpus(root: Path, assignment: str, variants: list[dict], seed: int | None = None,
                 second_seed: int | None = None) -> CorpusResult:
    """Grade the reference and ``variants`` (all `in_one_kernel`) of ``assignment`` in the course at ``root``;
    with ``second_seed``, grade the reference once more on that seed's inputs."""
    source = root / "source" / assignment / f"{assignment}.ipynb"
    release = root / "release" / assignment / f"{assignment}.ipynb"
    if not release.is_file():
        raise ValueError(f"{assignment} has no release notebook; run `nbgrader generate_assignment {assignment}` first")
    unsuitable = [v["name"] for v in variants if not in_one_kernel(v)]
    if unsuitable:
        raise ValueError(f"these variants need the full pipeline, not one kernel: {', '.join(unsuitable)}")
    unknown = sorted({v["replaces"] for v in variants} - set(solution_sources(nbformat.read(source, as_version=4))))
    if unknown:
        raise ValueError(f"variants replace cells that are not solution cells of {assignment}: {', '.join(unknown)}")
    config = load_config(root)
    if seed is not None:
        config.HiddenGraderExecute.secret_seed = int(seed)
    config.CorpusExecute.corpus_student = "reference"
    config.CorpusExecute.second_seed = second_seed
    executor = CorpusExecute(variants, config=config)
    with tempfile.TemporaryDirectory(prefix=f"corpus-{assignment}-") as tmp:
        workdir = Path(tmp) / assignment
        shutil.copytree(source.parent, workdir, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        notebook = reference_submission(source, release)
        resources = {"metadata": {"path": str(workdir)}, "nbgrader": {"assignment": assignment, "student": "reference"}}
        executor.preprocess(notebook, resources)
    return executor.result
