"""Late rules on totals, exam admission and grade export against a hand-computed example.

Five students, three sheets (10, 10 and 20 points) in a real nbgrader gradebook:

=======  =====================  ==================================  =========================  =====  ======  ========
student  sheet1 (no deadline)   sheet2 (10 %/h, cap 30 %)           sheet3 (late = zero)       total  %       admitted
=======  =====================  ==================================  =========================  =====  ======  ========
ada      10                     10, 5 h late -> cap 30 % -> 7       20                         37     92.5    yes
ben      5                      7.25, 2 h 30 min late -> 3 h -> 4.25  10.75                    20     50.0    yes (exactly half)
cleo     7.5                    missing -> 0                        12.49                      19.99  50.0    no (49.975 %)
dora     missing -> 0           10, 30 min late -> 1 h -> 9         15, inside her extension   24     60.0    yes
emil     missing                missing                             18, 1 s late -> 0          0      0.0     no
=======  =====================  ==================================  =========================  =====  ======  ========
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from nbgrader.api import Gradebook

from conftest import BIN, REPO, course_env, run
from course_lib.term.admission import AdmissionRule, admission_table
from course_lib.term.cli import grant_extension
from course_lib.term.export import export_table
from course_lib.term.policy import load_policies
from course_lib.term.scores import score_table, students

CLOSE2 = datetime(2026, 5, 10, 12, 0, tzinfo=timezone.utc)
CLOSE3 = datetime(2026, 5, 17, 12, 0, tzinfo=timezone.utc)
MAX = {"sheet1": 10.0, "sheet2": 10.0, "sheet3": 20.0}
# student -> sheet -> (raw score, received)
SUBMISSIONS = {
    "ada": {"sheet1": (10, CLOSE2), "sheet2": (10, CLOSE2 + timedelta(hours=5)), "sheet3": (20, CLOSE3)},
    "ben": {"sheet1": (5, CLOSE2), "sheet2": (7.25, CLOSE2 + timedelta(hours=2, minutes=30)),
            "sheet3": (10.75, CLOSE3 - timedelta(days=1))},
    "cleo": {"sheet1": (7.5, CLOSE2), "sheet3": (12.49, CLOSE3 - timedelta(seconds=1))},
    "dora": {"sheet2": (10, CLOSE2 + timedelta(minutes=30)), "sheet3": (15, CLOSE3 + timedelta(hours=12))},
    "emil": {"sheet3": (18, CLOSE3 + timedelta(seconds=1))},
}
NAMES = {"ada": ("Ada", "Lovelace", "ada@uni.example"), "ben": ("Ben", "Franklin", ""), "cleo": ("", "", ""),
         "dora": ("Dora", "Maar", "dora@uni.example"), "emil": ("Emil", "Fischer", "")}
EXPECTED = pd.DataFrame({
    "student": ["ada", "ben", "cleo", "dora", "emil"],
    "sheet1": [10.0, 5.0, 7.5, 0.0, 0.0],
    "sheet2": [7.0, 4.25, 0.0, 9.0, 0.0],
    "sheet3": [20.0, 10.75, 12.49, 15.0, 0.0],
    "Total": [37.0, 20.0, 19.99, 24.0, 0.0],
})


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The example course, built once (nbgrader runs alembic to make the gradebook)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PATH", course_env()["PATH"])
    root = tmp_path_factory.mktemp("example") / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    policies = root / "policies"
    policies.mkdir()
    (policies / "sheet2.toml").write_text(f'closes = {CLOSE2.isoformat()}\nlate = "deduction"\n'
                                          "deduction_per_hour = 10\ndeduction_cap = 30\n")
    (policies / "sheet3.toml").write_text(f'closes = {CLOSE3.isoformat()}\nlate = "zero"\n')
    grant_extension(policies, "dora", "sheet3", hours=24)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlphys") as gb:
        for sheet, points in MAX.items():
            gb.add_assignment(sheet)
            gb.add_notebook(sheet, sheet)
            gb.add_grade_cell("task", sheet, sheet, max_score=points, cell_type="code")
        for student, (first, last, email) in NAMES.items():
            gb.add_student(student, first_name=first or None, last_name=last or None, email=email or None)
        for student, sheets in SUBMISSIONS.items():
            for sheet, (score, received) in sheets.items():
                gb.add_submission(sheet, student, timestamp=received.replace(tzinfo=None))
                grade = gb.find_grade("task", sheet, sheet, student)
                grade.auto_score = score
                gb.db.commit()
    mp.undo()
    return root


@pytest.fixture
def course(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "course"))


def scores_of(course):
    return score_table(f"sqlite:///{course / 'gradebook.db'}", "mlphys", load_policies(course / "policies"))


def test_late_rules_apply_to_totals_from_the_receipt_time(course):
    table = scores_of(course)
    wide = table.pivot(index="student", columns="assignment", values="score").reset_index()
    pd.testing.assert_frame_equal(wide.rename_axis(None, axis=1), EXPECTED.drop(columns="Total"), check_exact=False)
    hours = table.set_index(["student", "assignment"])["hours_late"]
    assert (hours["ada", "sheet2"], hours["ben", "sheet2"], hours["dora", "sheet2"], hours["emil", "sheet3"]) == (5, 3, 1, 1)
    assert hours["dora", "sheet3"] == 0, "dora's extension moves her deadline, nobody else's"
    assert table.set_index(["student", "assignment"])["raw_score"]["emil", "sheet3"] == 18, "nbgrader's score is kept"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "mlphys") as gb:
        assert gb.find_submission("sheet3", "emil").score == 18, "the gradebook is not rewritten"


def test_admission_default_rule_and_a_named_set_of_sheets(course):
    table = admission_table(scores_of(course), AdmissionRule())
    assert table.to_dict("list") == {
        "student": ["ada", "ben", "cleo", "dora", "emil"],
        "points": [37.0, 20.0, 19.99, 24.0, 0.0], "max_points": [40.0] * 5, "needed": [20.0] * 5,
        "percent": [92.5, 50.0, 50.0, 60.0, 0.0], "sheets_submitted": [3, 3, 2, 2, 1], "sheets": [3] * 5,
        "admitted": [True, True, False, True, False],
    }
    named = admission_table(scores_of(course), AdmissionRule(0.5, ("sheet1", "sheet3")))
    assert named["points"].tolist() == [30.0, 15.75, 19.99, 15.0, 0.0] and named["needed"].tolist() == [15.0] * 5
    assert named["admitted"].tolist() == [True, True, True, True, False]
    with pytest.raises(KeyError, match="not in the gradebook: sheet9"):
        admission_table(scores_of(course), AdmissionRule(0.5, ("sheet9",)))


def test_moodle_and_canvas_exports_import_into_pandas_with_the_documented_columns(course, tmp_path):
    people = students(f"sqlite:///{course / 'gradebook.db'}", "mlphys")
    moodle_file, canvas_file = tmp_path / "moodle.csv", tmp_path / "canvas.csv"
    export_table(scores_of(course), people, "moodle").to_csv(moodle_file, index=False)
    export_table(scores_of(course), people, "canvas", section="MLP 2026").to_csv(canvas_file, index=False)

    moodle = pd.read_csv(moodle_file, keep_default_na=False)
    assert list(moodle.columns) == ["First name", "Last name", "Username", "Email address", "sheet1", "sheet2", "sheet3", "Total"]
    assert moodle["Username"].tolist() == EXPECTED["student"].tolist()
    assert moodle["Email address"].tolist() == ["ada@uni.example", "", "", "dora@uni.example", ""]
    pd.testing.assert_frame_equal(moodle[["sheet1", "sheet2", "sheet3", "Total"]],
                                  EXPECTED.drop(columns="student"), check_exact=False)

    canvas = pd.read_csv(canvas_file, keep_default_na=False)
    assert list(canvas.columns) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "sheet1", "sheet2", "sheet3", "Total"]
    possible, rows = canvas.iloc[0], canvas.iloc[1:].reset_index(drop=True)
    assert possible["Student"] == "Points Possible" and possible[["sheet1", "sheet2", "sheet3", "Total"]].tolist() == [10, 10, 20, 40]
    assert rows["Student"].tolist() == ["Lovelace, Ada", "Franklin, Ben", "cleo", "Maar, Dora", "Fischer, Emil"]
    assert rows["SIS Login ID"].tolist() == EXPECTED["student"].tolist() and set(rows["Section"]) == {"MLP 2026"}
    pd.testing.assert_frame_equal(rows[["sheet1", "sheet2", "sheet3", "Total"]].astype(float),
                                  EXPECTED.drop(columns="student"), check_exact=False)


def test_the_commands_print_and_write_the_same(course, tmp_path):
    course_bin = str(BIN / "course")
    printed = run([course_bin, "admission", "--csv", str(tmp_path / "admission.csv")], cwd=course).stdout
    assert "admission rule: 50 % of the points of all homework sheets; 3 of 5 students admitted" in printed
    written = pd.read_csv(tmp_path / "admission.csv")
    assert written["admitted"].tolist() == [True, True, False, True, False]
    assert written["percent"].tolist() == [92.5, 50.0, 50.0, 60.0, 0.0]
    (course / "policies" / "admission.toml").write_text('threshold = 0.6\nsheets = ["sheet1", "sheet3"]\n')
    printed = run([course_bin, "admission"], cwd=course).stdout
    assert "60 % of the points of sheet1, sheet3; 2 of 5 students admitted" in printed  # needed 18: ada, cleo

    out = tmp_path / "grades.csv"
    printed = run([course_bin, "export", "--format", "canvas", "-o", str(out)], cwd=course).stdout
    assert f"5 students, 3 assignments -> {out} (canvas)" in printed
    assert pd.read_csv(out).iloc[1:]["Total"].astype(float).tolist() == EXPECTED["Total"].tolist()

    bad = run([course_bin, "extend", "ada", "sheet1", "--hours", "2"], cwd=course, check=False)
    assert bad.returncode == 2 and "sheet1.toml: an extension moves the closing time it sets" in bad.stderr
    ok = run([course_bin, "extend", "ben", "sheet2", "--until", "2026-05-10T16:00:00+02:00"], cwd=course).stdout
    assert "ben: sheet2 closes at 2026-05-10T14:00:00+00:00" in ok
    table = scores_of(course).set_index(["student", "assignment"])
    assert table["hours_late"]["ben", "sheet2"] == 1 and table["score"]["ben", "sheet2"] == pytest.approx(6.25)
