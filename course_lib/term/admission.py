"""Exam admission: a share of the exercise points over a set of homework sheets.

The rule is ``policies/admission.toml`` (both keys optional)::

    threshold = 0.5                       # the share of the points needed (default 50 %)
    sheets = ["lecture01", "lecture02"]   # default: every homework assignment in the gradebook

Points are the late-adjusted totals (course_lib.term.scores); a missing submission counts 0.
The decision uses the exact points; percentages are rounded only for display.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .policy import ADMISSION, PolicyError

EPSILON = 1e-9  # float sums: 7.5 + 2.5 is 10.0, and 10.0 of 20.0 is exactly 50 %


@dataclass(frozen=True)
class AdmissionRule:
    threshold: float = 0.5
    sheets: tuple[str, ...] = field(default_factory=tuple)  # empty: every homework assignment

    def describe(self) -> str:
        which = ", ".join(self.sheets) if self.sheets else "all homework sheets"
        return f"{self.threshold * 100:g} % of the points of {which}"


def load_rule(policies: Path) -> AdmissionRule:
    path = Path(policies) / ADMISSION
    if not path.is_file():
        return AdmissionRule()
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"threshold", "sheets"}
    if unknown:
        raise PolicyError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; known: sheets, threshold")
    threshold = float(data.get("threshold", 0.5))
    if not 0 < threshold <= 1:
        raise PolicyError(f"{path}: threshold is a share between 0 and 1 (0.5 is 50 %), not {threshold}")
    sheets = data.get("sheets", [])
    if not isinstance(sheets, list) or not all(isinstance(s, str) for s in sheets):
        raise PolicyError(f"{path}: sheets must be a list of assignment names")
    return AdmissionRule(threshold, tuple(sheets))


def sheets_for(rule: AdmissionRule, scores: pd.DataFrame) -> list[str]:
    if rule.sheets:
        missing = sorted(set(rule.sheets) - set(scores["assignment"]))
        if missing:
            raise KeyError(f"the admission rule names sheets that are not in the gradebook: {', '.join(missing)}")
        return list(rule.sheets)
    return sorted(scores.loc[scores["kind"] == "homework", "assignment"].unique())


def admission_table(scores: pd.DataFrame, rule: AdmissionRule) -> pd.DataFrame:
    """One row per student: points, maximum, needed, percent (1 decimal), admitted, sheets submitted."""
    sheets = sheets_for(rule, scores)
    part = scores[scores["assignment"].isin(sheets)]
    per_sheet = part.drop_duplicates("assignment").set_index("assignment")["max_score"]
    maximum = float(per_sheet.sum())
    needed = rule.threshold * maximum
    rows = []
    for student, theirs in part.groupby("student"):
        points = float(theirs["score"].sum())
        rows.append({"student": student, "points": round(points, 2), "max_points": round(maximum, 2),
                     "needed": round(needed, 2), "percent": round(100 * points / maximum, 1) if maximum else 0.0,
                     "sheets_submitted": int(theirs["submitted"].sum()), "sheets": len(sheets),
                     "admitted": bool(maximum) and points + EPSILON >= needed})
    columns = ["student", "points", "max_points", "needed", "percent", "sheets_submitted", "sheets", "admitted"]
    return pd.DataFrame(rows, columns=columns).sort_values("student", ignore_index=True)
