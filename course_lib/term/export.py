"""Grades as CSV files that Moodle and Canvas import.

Moodle (Grades > Import > CSV file): a row per student with an identifying column and one
column per grade item; on import the teacher maps "Username" (or "Email address") to the
user field of the same name, and each assignment column to a grade item (or a new one).

Canvas (Grades > Import): the columns of Canvas's own gradebook export, "Student", "ID",
"SIS User ID", "SIS Login ID", "Section", then one column per assignment; the row after the
header gives "Points Possible". A column whose name Canvas does not know becomes a new assignment.

Scores are the late-adjusted totals (course_lib.term.scores); a missing submission is 0.
"""

from __future__ import annotations

import pandas as pd

FORMATS = ("moodle", "canvas")
TOTAL = "Total"


def _wide(scores: pd.DataFrame, assignments: list[str]) -> pd.DataFrame:
    wide = scores.pivot(index="student", columns="assignment", values="score").reindex(columns=assignments).fillna(0.0)
    wide[TOTAL] = wide[assignments].sum(axis=1)
    return wide.round(2)


def export_table(scores: pd.DataFrame, people: pd.DataFrame, fmt: str, section: str = "") -> pd.DataFrame:
    """The table to write with ``to_csv(index=False)``; its columns are the documented ones."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    assignments = list(dict.fromkeys(scores["assignment"]))
    wide = _wide(scores, assignments).reset_index()
    table = people.merge(wide, on="student", how="right").fillna({"first_name": "", "last_name": "", "email": "",
                                                                  "lms_user_id": ""})
    if fmt == "moodle":
        out = pd.DataFrame({"First name": table["first_name"], "Last name": table["last_name"],
                            "Username": table["student"], "Email address": table["email"]})
        for name in assignments + [TOTAL]:
            out[name] = table[name]
        return out
    names = [f"{last}, {first}" if (first or last) else student
             for first, last, student in zip(table["first_name"], table["last_name"], table["student"])]
    out = pd.DataFrame({"Student": names, "ID": table["lms_user_id"], "SIS User ID": table["student"],
                        "SIS Login ID": table["student"], "Section": section})
    for name in assignments + [TOTAL]:
        out[name] = table[name]
    maxima = scores.drop_duplicates("assignment").set_index("assignment")["max_score"]
    possible = {"Student": "Points Possible", "ID": "", "SIS User ID": "", "SIS Login ID": "", "Section": ""}
    possible.update({name: round(float(maxima[name]), 2) for name in assignments})
    possible[TOTAL] = round(float(maxima[assignments].sum()), 2)
    return pd.concat([pd.DataFrame([possible]), out], ignore_index=True)
