"""Manual grades survive a re-grade: a re-grade never changes a manual score, and a manual grade the
instructor finished is not flagged for review again unless its autograded part changed."""

from __future__ import annotations

from .assignment import AssignmentInfo
from .locks import gradebook_lock


def manual_snapshot(info: AssignmentInfo, student: str) -> dict:
    """(notebook, grade cell) -> (manual score, needs review, auto score) of the grades a person gave."""
    from nbgrader.api import Gradebook, MissingEntry

    snap = {}
    with Gradebook(info.db_url, info.course_id) as gb:
        try:
            submission = gb.find_submission(info.assignment, student)
        except MissingEntry:
            return snap
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is not None:
                    snap[(notebook.name, grade.name)] = (grade.manual_score, grade.needs_manual_grade, grade.auto_score)
    return snap


def settle_grades(info: AssignmentInfo, student: str, snapshot: dict) -> tuple[float | None, float | None]:
    """Put back the manual grades of `snapshot`, give unscored autograded cells 0; return (score, max score)."""
    from nbgrader.api import Gradebook, MissingEntry

    with gradebook_lock(info.db_url), Gradebook(info.db_url, info.course_id) as gb:
        try:
            submission = gb.find_submission(info.assignment, student)
        except MissingEntry:
            return None, None
        for notebook in submission.notebooks:
            solution = {c.name for c in notebook.notebook.solution_cells}
            for grade in notebook.grades:
                autograded = grade.cell.cell_type == "code" and grade.name not in solution
                if autograded and grade.auto_score is None and grade.manual_score is None:
                    grade.auto_score, grade.needs_manual_grade = 0.0, False  # a cell nbgrader could not see
                before = snapshot.get((notebook.name, grade.name))
                if before is None:
                    continue
                manual, needed, auto = before
                grade.manual_score = manual
                if not needed and (not autograded or grade.auto_score == auto):
                    grade.needs_manual_grade = False
        gb.db.commit()
        return float(submission.score), float(submission.max_score)
