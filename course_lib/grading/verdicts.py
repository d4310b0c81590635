"""Verdicts of the hidden graders and how they are written into the graded notebook.

nbgrader scores an autograder cell from its outputs: an error output gives 0, an
``execute_result`` holding a number gives that many points, anything else full marks.
The platform therefore replaces each autograder cell's outputs with its own verdict,
so nbgrader's gradebook, formgrader, feedback and export keep working unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat


@dataclass
class Check:
    """One hidden test: what it checks, how much it weighs, and the student-facing outcome."""

    description: str
    weight: float
    passed: bool
    message: str = ""


@dataclass
class CellVerdict:
    grade_id: str
    max_points: float
    checks: list[Check] = field(default_factory=list)

    @property
    def points(self) -> float:
        total = sum(c.weight for c in self.checks)
        if total <= 0:
            return 0.0
        earned = sum(c.weight for c in self.checks if c.passed)
        return round(self.max_points * earned / total, 4)

    def report(self) -> str:
        lines = [f"Platform grader: {self.points:g} / {self.max_points:g} points"]
        for check in self.checks:
            mark = "PASS" if check.passed else "FAIL"
            line = f"  [{mark}] {check.description}"
            if not check.passed and check.message:
                line += f"\n         {check.message}"
            lines.append(line)
        if not self.checks:
            lines.append("  No hidden check is configured for this cell; your instructor has been notified.")
        return "\n".join(lines) + "\n"


def autograder_cells(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    """The autograded test cells (grade, not solution, code) by grade id."""
    cells = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells[meta["grade_id"]] = cell
    return cells


def apply_verdicts(nb: nbformat.NotebookNode, verdicts: dict[str, CellVerdict]) -> None:
    """Replace every autograder cell's outputs with the platform's verdict for it."""
    for grade_id, cell in autograder_cells(nb).items():
        max_points = float(cell.metadata["nbgrader"].get("points", 0))
        verdict = verdicts.get(grade_id) or CellVerdict(grade_id, max_points)
        text = verdict.report()
        if verdict.points > 0:
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text=text),
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": f"{verdict.points:g}"}, execution_count=cell.get("execution_count")
                ),
            ]
        else:
            cell.outputs = [
                nbformat.v4.new_output(
                    "error", ename="NotPassed", evalue="0 points", traceback=text.rstrip("\n").split("\n")
                )
            ]
