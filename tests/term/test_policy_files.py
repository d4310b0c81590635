"""Policy files: what they mean, and clear errors for what cannot be meant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from course_lib.term.policy import PolicyError, load_policies, policy_of

CLOSES = datetime(2026, 7, 24, 10, 0, tzinfo=timezone.utc)


def policies(tmp_path, **files):
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text)
    return load_policies(folder)


@pytest.mark.parametrize("text, message", [
    ('kind = "quiz"\n', "kind must be one of homework, exam, practice, challenge, project, not 'quiz'"),
    ('late = "sometimes"\n', "late must be one of none, zero, deduction"),
    ("closes = 2026-07-24T10:00:00\n", "closes in .*sheet.toml has no UTC offset"),
    ('closes = "tomorrow"\n', "is not an ISO 8601 time"),
    ("opens = 2026-07-24T10:00:00Z\ncloses = 2026-07-24T09:00:00Z\n", "closes .* must be after opens"),
    ('late = "deduction"\n', "needs deduction_per_hour and deduction_cap"),
    ("duration_minutes = 90\n", "with duration_minutes set accept_late must be false"),
    ("deadline = 2026-07-24T10:00:00Z\n", "unknown key\\(s\\) deadline"),
    ("closes = [\n", "not valid TOML"),
    ("presentation_minutes = 10\n", "presentation_minutes needs a presentation time"),
    ("presentation = 2026-07-28T18:00:00Z\npresentation_minutes = 0\n", "presentation_minutes must be a positive number"),
    ("presentation = 2026-07-28T18:00:00Z\npresentation_minutes = true\n", "presentation_minutes must be a positive number"),
    ("presentation = 2026-07-28T18:00:00\n", "presentation in .*sheet.toml has no UTC offset"),
    ("closes = 2026-07-28T18:00:00Z\npresentation = 2026-07-28T17:59:00Z\n", "presentation .* must not be before closes"),
    ("opens = 2026-07-28T18:00:00Z\npresentation = 2026-07-28T18:00:00Z\n", "presentation .* must be after opens"),
])
def test_a_broken_policy_names_the_file_and_the_problem(tmp_path, text, message):
    with pytest.raises(PolicyError, match=message):
        policies(tmp_path, sheet=text)


def test_defaults_and_the_late_rules(tmp_path):
    found = policies(tmp_path, exam='kind = "exam"\ncloses = 2026-07-24T12:00:00+02:00\nlate = "zero"\n',
                     hw='closes = 2026-07-24T10:00:00Z\nlate = "deduction"\ndeduction_per_hour = 10\ndeduction_cap = 25\n')
    exam, hw, other = found["exam"], found["hw"], policy_of(found, "lecture01")
    assert exam.closes == CLOSES and exam.timed and not exam.accept_late, "exams refuse late work unless told"
    assert hw.accept_late and not hw.timed and other.kind == "homework" and other.closes is None
    assert [hw.hours_late(CLOSES + d, CLOSES) for d in (timedelta(0), timedelta(seconds=1), timedelta(hours=1),
                                                        timedelta(hours=1, seconds=1))] == [0, 1, 1, 2]
    assert [hw.late_score(8.0, 10.0, h) for h in (0, 1, 2, 3, 9)] == [8.0, 7.0, 6.0, 5.5, 5.5]
    assert hw.late_score(1.0, 10.0, 3) == 0.0, "never below zero"
    assert exam.late_score(8.0, 10.0, 1) == 0.0 and other.late_score(8.0, 10.0, 5) == 8.0


def test_extensions_must_belong_to_a_policy(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "extensions.toml").write_text('[exam_final]\n"ada" = 2026-07-24T12:00:00Z\n')
    with pytest.raises(PolicyError, match="policies/exam_final.toml does not exist"):
        load_policies(folder)


def test_a_project_has_a_presentation_slot_after_its_deadline(tmp_path):
    found = policies(tmp_path, project='kind = "project"\ncloses = 2026-07-24T12:00:00+02:00\n'
                                      'presentation = 2026-07-28T18:00:00+02:00\npresentation_minutes = 10\n')
    project = found["project"]
    assert project.kind == "project" and not project.timed and project.accept_late
    assert project.presentation == datetime(2026, 7, 28, 16, 0, tzinfo=timezone.utc)
    assert project.describe()["presentation"] == "2026-07-28T16:00:00+00:00"
    assert project.describe()["presentation_minutes"] == 10.0
    assert policy_of(found, "lecture01").describe()["presentation"] is None
