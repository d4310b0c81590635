"""Exams in the exchange under a controlled clock: opening, closing, late rules, forged times, extensions.

The real exchange service runs over HTTP (tokens stubbed as in tests/hub/test_exchange.py); its
clock is a ManualClock, the constructor-injected clock the service also reads from COURSE_CLOCK.
"""

from __future__ import annotations

import io
import json
import tarfile
from datetime import datetime, timedelta, timezone

import nbformat
import pytest
import requests

from course_lib.hub.archive import pack_files
from course_lib.hub.exchange_service import Identity
from course_lib.term.clock import Clock, ManualClock
from hub.exchange_fixture import ExchangeServer

COURSE = "mlphys"
TOKENS = {
    "t-ada": Identity("ada", "user", frozenset({"nbgrader-mlphys"})),
    "t-ben": Identity("ben", "user", frozenset({"nbgrader-mlphys"})),
    "t-teacher": Identity("teacher", "user", frozenset({"formgrade-mlphys"})),
    "t-formgrader": Identity("mlphys", "service"),  # the formgrader's token, as the course-status service uses it
}
NOTEBOOK = json.dumps(nbformat.v4.new_notebook()).encode()
T0 = datetime(2026, 7, 24, 7, 0, tzinfo=timezone.utc)
OPENS, CLOSES = T0 + timedelta(hours=1), T0 + timedelta(hours=3)
SECOND = timedelta(seconds=1)


def toml_time(moment: datetime) -> str:
    return moment.isoformat()


EXAM = f"""kind = "exam"
opens = {toml_time(OPENS)}
closes = {toml_time(CLOSES)}
late = "zero"
accept_late = false
"""
ZEROED = f"""kind = "exam"
opens = {toml_time(OPENS)}
closes = {toml_time(CLOSES)}
late = "zero"
accept_late = true
"""


@pytest.fixture
def exchange(tmp_path):
    server = ExchangeServer(tmp_path / "storage", TOKENS)
    server.store.clock = ManualClock(T0)
    yield server
    server.stop()


def call(server, method, path, token, **kwargs):
    return requests.request(method, f"{server.url}/api/{path}", headers={"Authorization": f"token {token}"},
                            timeout=30, **kwargs)


def set_clock(server, moment):
    server.store.clock.set(moment)


def setup_exam(server, policies: dict[str, str], assignments=("exam_final",)):
    for name in assignments:
        r = call(server, "PUT", f"courses/{COURSE}/assignments/{name}", "t-teacher",
                 data=pack_files({f"{name}.ipynb": NOTEBOOK}))
        assert r.status_code == 200, r.text
    r = call(server, "PUT", f"courses/{COURSE}/policies", "t-teacher",
             data=pack_files({name: text.encode() for name, text in policies.items()}))
    assert r.status_code == 200, r.text


def listed(server, token):
    r = call(server, "GET", f"courses/{COURSE}/assignments", token)
    assert r.status_code == 200, r.text
    return [a["assignment_id"] for a in r.json()]


def submit(server, token, assignment="exam_final", extra: dict[str, bytes] | None = None):
    files = {f"{assignment}.ipynb": NOTEBOOK, **(extra or {})}
    return call(server, "POST", f"courses/{COURSE}/assignments/{assignment}/submissions", token, data=pack_files(files))


def receipts(server, student):
    return call(server, "GET", f"courses/{COURSE}/submissions", "t-teacher", params={"student": student}).json()


def test_the_exam_opens_on_time(exchange):
    setup_exam(exchange, {"exam_final.toml": EXAM})
    set_clock(exchange, OPENS - SECOND)
    assert "exam_final" not in listed(exchange, "t-ada")
    assert "exam_final" in listed(exchange, "t-teacher"), "instructors see what is released before it opens"
    early = call(exchange, "GET", f"courses/{COURSE}/assignments/exam_final", "t-ada")
    assert early.status_code == 403 and "opens at 2026-07-24 08:00:00 UTC" in early.json()["error"]
    assert submit(exchange, "t-ada").status_code == 403
    set_clock(exchange, OPENS)
    assert "exam_final" in listed(exchange, "t-ada")
    fetched = call(exchange, "GET", f"courses/{COURSE}/assignments/exam_final", "t-ada")
    assert fetched.status_code == 200
    assert tarfile.open(fileobj=io.BytesIO(fetched.content)).getnames() == ["exam_final.ipynb"]


def test_one_second_before_closing_counts_one_after_is_refused(exchange):
    setup_exam(exchange, {"exam_final.toml": EXAM})
    set_clock(exchange, CLOSES - SECOND)
    on_time = submit(exchange, "t-ada")
    assert on_time.status_code == 201, on_time.text
    receipt = on_time.json()
    assert receipt["received_at"] == (CLOSES - SECOND).isoformat() and receipt["late_seconds"] == 0
    set_clock(exchange, CLOSES + SECOND)
    late = submit(exchange, "t-ada")
    assert late.status_code == 403
    assert late.json()["error"] == ("the deadline of exam_final was 2026-07-24 10:00:00 UTC; your submission was "
                                    "received at 2026-07-24 10:00:01 UTC and late submissions are not accepted")
    assert [r["submission_id"] for r in receipts(exchange, "ada")] == [receipt["submission_id"]], "nothing stored"


def test_one_second_after_closing_is_accepted_and_marked_for_zero_when_the_policy_says_so(exchange):
    setup_exam(exchange, {"exam_final.toml": ZEROED})
    set_clock(exchange, CLOSES + SECOND)
    late = submit(exchange, "t-ben")
    assert late.status_code == 201, late.text
    assert late.json()["late_seconds"] == 1.0 and late.json()["late_rule"] == "zero"
    assert late.json()["deadline"] == CLOSES.isoformat()


def test_the_platform_receipt_time_wins_over_a_forged_student_timestamp(exchange):
    setup_exam(exchange, {"exam_final.toml": EXAM})

    def forged(stamp):
        return {"timestamp.txt": stamp.encode(),
                "receipt.json": json.dumps({"timestamp": stamp, "late_seconds": 0}).encode()}

    set_clock(exchange, CLOSES - timedelta(minutes=5))
    accepted = submit(exchange, "t-ada", extra=forged("2026-07-24 06:00:00.000000 UTC"))
    assert accepted.status_code == 201
    stored = receipts(exchange, "ada")[0]
    assert stored["timestamp"] == "2026-07-24 09:55:00.000000 UTC"
    files = call(exchange, "GET", f"courses/{COURSE}/submissions/ada/exam_final/{stored['submission_id']}", "t-teacher")
    with tarfile.open(fileobj=io.BytesIO(files.content)) as tar:
        assert tar.extractfile("timestamp.txt").read() == b"2026-07-24 09:55:00.000000 UTC"
        assert json.loads(tar.extractfile("receipt.json").read() if "receipt.json" in tar.getnames() else b"{}") == {}
    set_clock(exchange, CLOSES + timedelta(minutes=5))
    refused = submit(exchange, "t-ada", extra=forged("2026-07-24 09:00:00.000000 UTC"))
    assert refused.status_code == 403, "a timestamp in the upload does not make a late submission on time"
    assert len(receipts(exchange, "ada")) == 1


def test_an_extension_moves_one_students_deadline(exchange):
    extensions = f'[exam_final]\n"ada" = {toml_time(CLOSES + timedelta(minutes=30))}\n'
    setup_exam(exchange, {"exam_final.toml": EXAM, "extensions.toml": extensions})
    set_clock(exchange, CLOSES + SECOND)
    assert submit(exchange, "t-ada").status_code == 201
    assert submit(exchange, "t-ben").status_code == 403
    set_clock(exchange, CLOSES + timedelta(minutes=30) + SECOND)
    assert submit(exchange, "t-ada").status_code == 403


def test_a_duration_runs_from_each_students_first_fetch(exchange):
    timed = EXAM + "duration_minutes = 60\n"
    setup_exam(exchange, {"exam_final.toml": timed})
    set_clock(exchange, OPENS + timedelta(minutes=10))
    assert call(exchange, "GET", f"courses/{COURSE}/assignments/exam_final", "t-ada").status_code == 200
    set_clock(exchange, OPENS + timedelta(minutes=50))
    assert call(exchange, "GET", f"courses/{COURSE}/assignments/exam_final", "t-ben").status_code == 200
    status = call(exchange, "GET", f"courses/{COURSE}/policies", "t-ada").json()["assignments"][0]
    assert status["deadline"] == (OPENS + timedelta(minutes=70)).isoformat()
    assert status["seconds_left"] == 20 * 60 and status["state"] == "open"
    set_clock(exchange, OPENS + timedelta(minutes=70) + SECOND)
    assert submit(exchange, "t-ada").status_code == 403
    assert submit(exchange, "t-ben").status_code == 201
    again = call(exchange, "GET", f"courses/{COURSE}/assignments/exam_final", "t-ada")
    assert again.status_code == 403 and "closed for you" in again.json()["error"]


def test_broken_policies_are_refused_and_the_old_ones_stay(exchange):
    setup_exam(exchange, {"exam_final.toml": EXAM})
    bad = call(exchange, "PUT", f"courses/{COURSE}/policies", "t-teacher",
               data=pack_files({"exam_final.toml": b'kind = "exam"\nopens = 2026-07-24T09:00:00\n'}))
    assert bad.status_code == 400 and "has no UTC offset" in bad.json()["error"]
    assert call(exchange, "PUT", f"courses/{COURSE}/policies", "t-ada", data=pack_files({})).status_code == 403
    set_clock(exchange, OPENS - SECOND)
    assert "exam_final" not in listed(exchange, "t-ada"), "the earlier policy still holds"


def test_course_clock_reads_a_file_at_every_call(tmp_path, monkeypatch):
    clock_file = tmp_path / "clock"
    clock_file.write_text("2026-07-24T09:00:00+02:00")
    monkeypatch.setenv("COURSE_CLOCK", str(clock_file))
    clock = Clock()
    assert clock.now() == datetime(2026, 7, 24, 7, 0, tzinfo=timezone.utc)
    clock_file.write_text("2026-07-24T07:00:01Z")
    assert clock.now() == datetime(2026, 7, 24, 7, 0, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="has no UTC offset"):
        Clock("2026-07-24T09:00:00").now()
