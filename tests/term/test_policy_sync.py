"""The course root's policies/ reach the exchange through the course-status service's sync, and
an extension granted the way the hub page and `course extend` grant it takes effect at once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from course_lib.hub.course_pages import Course
from course_lib.term.cli import grant_extension

from .test_exam_timing import CLOSES, EXAM, OPENS, SECOND, exchange, listed, setup_exam, submit  # noqa: F401 (fixture)


def test_sync_pushes_changes_and_keeps_the_last_good_policies(exchange, tmp_path):
    setup_exam(exchange, {})  # released, no policy yet: open to all
    root = tmp_path / "course"
    (root / "policies").mkdir(parents=True)
    course = Course(root, "mlphys", exchange.url, "t-formgrader")
    exchange.store.clock.set(OPENS - SECOND)
    assert "exam_final" in listed(exchange, "t-ada")

    (root / "policies" / "exam_final.toml").write_text(EXAM)
    course.sync()
    assert course.sync_error is None and "exam_final" not in listed(exchange, "t-ada"), "the exam is hidden until it opens"

    exchange.store.clock.set(CLOSES + SECOND)
    assert submit(exchange, "t-ada").status_code == 403
    grant_extension(root / "policies", "ada", "exam_final", hours=1)
    course.sync()
    assert submit(exchange, "t-ada").status_code == 201, "the extension is enforced after the sync"
    assert submit(exchange, "t-ben").status_code == 403

    (root / "policies" / "exam_final.toml").write_text('kind = "exam"\nlate = "sometimes"\n')
    course.sync()
    assert "late must be one of none, zero, deduction" in course.sync_error
    assert submit(exchange, "t-ben").status_code == 403, "the exchange keeps the last good policies"


def test_grant_extension_refuses_what_makes_no_sense(tmp_path):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "exam_final.toml").write_text(EXAM)
    with pytest.raises(ValueError, match="must end after the closing time"):
        grant_extension(folder, "ada", "exam_final", until=(CLOSES - timedelta(minutes=1)).isoformat())
    with pytest.raises(ValueError, match="has no UTC offset"):
        grant_extension(folder, "ada", "exam_final", until="2026-07-24T12:00:00")
    when = grant_extension(folder, "ada.b@uni.example", "exam_final", until="2026-07-24T12:30:00+02:00")
    assert when == datetime(2026, 7, 24, 10, 30, tzinfo=timezone.utc)
    assert grant_extension(folder, "ada.b@uni.example", "exam_final", revoke=True) is None
    with pytest.raises(KeyError, match="has no extension"):
        grant_extension(folder, "ada.b@uni.example", "exam_final", revoke=True)


def test_a_students_status_page_shows_a_projects_presentation_slot(exchange, tmp_path):
    from types import SimpleNamespace

    from course_lib.hub.course_pages import StatusPage

    setup_exam(exchange, {}, assignments=("project",))
    root = tmp_path / "course"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "project.toml").write_text(
        'kind = "project"\ntitle = "Mini-project"\ncloses = 2026-07-24T22:00:00Z\n'
        "presentation = 2026-07-28T18:00:00+02:00\npresentation_minutes = 10\n")
    course = Course(root, "mlphys", exchange.url, "t-formgrader")
    course.sync()
    assert course.sync_error is None
    page = SimpleNamespace(course=course, own_admission=lambda name: "")  # the page without the hub's login
    body = StatusPage.student_body(page, "ada")
    assert "<h2>Presentations</h2>" in body
    assert "Mini-project: 2026-07-28 16:00:00 UTC, 10 minutes per talk" in body
