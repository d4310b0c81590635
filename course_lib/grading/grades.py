"""Scores per student and per grade cell, read from the nbgrader gradebook."""

from __future__ import annotations

import pandas as pd
from nbgrader.api import Gradebook, MissingEntry


def grade_table(db_url: str, course_id: str, assignment: str) -> pd.DataFrame:
    """One row per (student, notebook, grade cell): auto, manual, final score and max points."""
    rows = []
    with Gradebook(db_url, course_id) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise KeyError(f"assignment {assignment!r} is not in the gradebook; run `nbgrader generate_assignment` first") from None
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                solution_names = {cell.name for cell in notebook.notebook.solution_cells}
                for grade in notebook.grades:
                    autograded = grade.cell.cell_type == "code" and grade.name not in solution_names
                    rows.append(
                        {
                            "student": submission.student_id,
                            "notebook": notebook.name,
                            "grade_cell": grade.name,
                            "kind": "auto" if autograded else "manual",
                            "auto_score": grade.auto_score,
                            "manual_score": grade.manual_score,
                            "score": float(grade.score),
                            "max_score": float(grade.max_score),
                            "needs_manual_grade": bool(grade.needs_manual_grade),
                        }
                    )
    columns = ["student", "notebook", "grade_cell", "kind", "auto_score", "manual_score", "score", "max_score", "needs_manual_grade"]
    return pd.DataFrame(rows, columns=columns).sort_values(["student", "notebook", "grade_cell"], ignore_index=True)


def totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per-student totals: all points, and the autograded part alone."""
    auto = table[table["kind"] == "auto"]
    return pd.DataFrame(
        {
            "score": table.groupby("student")["score"].sum(),
            "max_score": table.groupby("student")["max_score"].sum(),
            "auto_score": auto.groupby("student")["score"].sum(),
            "auto_max_score": auto.groupby("student")["max_score"].sum(),
        }
    ).fillna(0.0).reset_index()
