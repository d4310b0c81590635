"""The course exchange: a JupyterHub service that receives, stores and hands out assignment files.

nbgrader's filesystem exchange trusts the student's clock, lets a student overwrite what they
put in ``inbound/``, and in containers (where everyone is uid 1000) lets any student read any
submission. This service replaces it:

- Every request carries a hub token (a student's single-user server has one in
  ``JUPYTERHUB_API_TOKEN``). The hub says whose token it is; the hub's groups say what they
  may do: ``nbgrader-<course>`` are the course's students, ``formgrade-<course>`` its
  instructors, and the service named ``<course>`` (the course's formgrader) acts for them.
- A submission is stored under the name of the token's owner, never a name from the request,
  with the platform's receipt time (``timestamp.txt``, ``receipt.json``) and a server-side
  secret; anything by those names in the upload is dropped.
- A stored submission is never changed: it is written once into a fresh folder, made
  read-only, and no endpoint writes to it again. A resubmission is a new folder; the latest
  one counts.
- A student may list and download only their own submissions and feedback.
- The storage folder belongs to the service's own account (mode 0700); students never see it.
- Every request is checked with the hub, never from a cache: a revoked token, a student taken out
  of the course group or a deleted account is refused on its next request.
- A deleted account's submissions and feedback move to ``<course>/archive/``, which no endpoint
  serves. Deletion is noticed two ways: every request of a user compares the hub's creation time
  of the account with the one recorded at its first submission (a new account of the same name
  has another), and a sweep every ``COURSE_EXCHANGE_SWEEP_SECONDS`` (60) archives the folders of
  names the hub no longer lists.
- Bad uploads are refused with a 4xx whose JSON ``error`` names the problem and the limit (413
  for size) before anything is written; a failed write removes what it wrote.

Limits, set for the course in the hub's environment (``.env`` or the instructor's shell):
``COURSE_EXCHANGE_MAX_MB`` (50) per upload, ``COURSE_EXCHANGE_MAX_ENTRIES`` (500) files and
folders per upload, ``COURSE_EXCHANGE_QUOTA_MB`` (500) stored per student and course, and
``COURSE_EXCHANGE_MAX_SUBMISSIONS`` (100) submissions per student and assignment.

Storage layout under ``--root``::

    <course>/released/<assignment>/...              released files (instructors may re-release)
    <course>/released/<assignment>.json             when and by whom
    <course>/submissions/<student>/<assignment>/<id>/...   one immutable folder per submission
    <course>/feedback/<student>/<assignment>/<id>/<notebook>.html
    <course>/policies/*.toml, <course>/starts/...   opening/closing times, first fetches (course_lib/term/gate.py)
    <course>/submissions/<student>/.account         the hub's creation time of the account that submitted
    <course>/archive/<student>/<when>/{submissions,feedback}   what a deleted account left (never served)

Policies: students see and fetch an assignment from its opening time on; a submission received
after the student's deadline is refused or accepted and marked late, as the policy says.

Run as a managed hub service: ``python -m course_lib.hub.exchange_service --root DIR``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from tornado import httpclient, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop, PeriodicCallback

from ..term.clock import Clock
from ..term.gate import Gate, Refused
from ..term.policy import PolicyError
from . import challenge_intake
from .archive import PLATFORM_FILES, ArchiveError, format_timestamp, freeze, pack_files, unpack, write_tree

log = logging.getLogger("course.exchange")

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")
SUBMISSION_ID = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}$")
STUDENT_GROUP, INSTRUCTOR_GROUP = "nbgrader-", "formgrade-"


def checked(kind: str, value: str) -> str:
    if not NAME.match(value or ""):
        raise web.HTTPError(400, reason=f"invalid {kind} name")
    return value


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Identity:
    name: str
    kind: str  # "user" or "service"
    groups: frozenset = field(default_factory=frozenset)
    created: str | None = None  # the hub's creation time of a user account: tells a new account from an old one

    def role(self, course: str) -> str | None:
        if self.kind == "service":
            return "instructor" if self.name == course else None
        if INSTRUCTOR_GROUP + course in self.groups:
            return "instructor"
        if STUDENT_GROUP + course in self.groups:
            return "student"
        return None

    def courses(self) -> dict[str, str]:
        if self.kind == "service":
            return {self.name: "instructor"}
        names = {g.split("-", 1)[1] for g in self.groups if g.startswith((STUDENT_GROUP, INSTRUCTOR_GROUP))}
        return {c: self.role(c) for c in sorted(names) if c}


class HubIdentities:
    """Who a token belongs to, their groups and their account's creation time, asked of the hub on
    every request (no cache: a revoked token or a removed group membership counts at once)."""

    def __init__(self, api_url: str, api_token: str):
        self.api_url, self.api_token = api_url.rstrip("/"), api_token
        self.http = httpclient.AsyncHTTPClient()

    async def _get(self, path: str, token: str, headers: dict | None = None) -> dict | None:
        request = httpclient.HTTPRequest(self.api_url + path, headers={"Authorization": f"token {token}", **(headers or {})},
                                         request_timeout=30)
        try:
            response = await self.http.fetch(request, raise_error=False)
        except OSError as exc:
            log.error("cannot reach the hub API at %s: %s", self.api_url, exc)
            raise web.HTTPError(502, reason="the hub cannot be reached")
        if response.code in (401, 403, 404):
            return None
        if response.code >= 400:
            log.error("hub API %s answered %s", path, response.code)
            raise web.HTTPError(502, reason="the hub did not answer")
        return json.loads(response.body)

    async def identify(self, token: str) -> Identity | None:
        model = await self._get("/user", token)
        if not model or not model.get("name"):
            return None
        kind = model.get("kind", "user")
        if kind != "user":
            return Identity(model["name"], kind)
        account = await self._get(f"/users/{quote(model['name'], safe='')}", self.api_token) or {}
        return Identity(model["name"], kind, frozenset(account.get("groups") or []), account.get("created"))

    async def users(self) -> dict[str, str | None] | None:
        """Every hub user name with its account's creation time, or None if the hub does not say."""
        found: dict[str, str | None] = {}
        offset = 0
        while True:
            page = await self._get(f"/users?offset={offset}&limit=200", self.api_token,
                                   {"Accept": "application/jupyterhub-pagination+json"})
            if page is None:
                return None
            items = page.get("items", []) if isinstance(page, dict) else page
            found.update({u["name"]: u.get("created") for u in items if u.get("name")})
            following = (page.get("_pagination") or {}).get("next") if isinstance(page, dict) else None
            if not following or not items:
                return found
            offset = following.get("offset", offset + len(items))


class Store:
    """The exchange's files. Only this class touches the storage folder."""

    def __init__(self, root: Path, max_bytes: int = 50_000_000, max_files: int = 500, clock: Clock | None = None,
                 quota_bytes: int = 500_000_000, max_submissions: int = 100):
        self.root, self.max_bytes, self.max_files = Path(root), max_bytes, max_files
        self.quota_bytes, self.max_submissions = quota_bytes, max_submissions
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        self._last = datetime.fromtimestamp(0, timezone.utc)
        self.clock = clock or Clock()  # COURSE_CLOCK, or a test's own clock
        self.gate = Gate(self.root)  # policies: opening, closing, duration, late rules (course_lib/term)

    def receipt_time(self) -> datetime:
        """The platform's clock, strictly increasing so that 'the latest submission' is always one."""
        now = self.clock.now()
        if now <= self._last:
            now = self._last + timedelta(microseconds=1)
        self._last = now
        return now

    # --- released assignments ---
    def released_dir(self, course: str) -> Path:
        return self.root / course / "released"

    def release(self, course: str, assignment: str, files: dict[str, bytes], by: str) -> dict:
        folder = self.released_dir(course)
        folder.mkdir(parents=True, exist_ok=True)
        staging = folder / f".{assignment}.{secrets.token_hex(4)}"
        write_tree(staging, files)
        target, trash = folder / assignment, folder / f".{assignment}.old.{secrets.token_hex(4)}"
        if target.exists():
            target.rename(trash)
        staging.rename(target)
        shutil.rmtree(trash, ignore_errors=True)
        meta = {"assignment_id": assignment, "released_at": format_timestamp(datetime.now(timezone.utc)),
                "released_by": by, "files": sorted(files)}
        (folder / f"{assignment}.json").write_text(json.dumps(meta))
        return meta

    def unrelease(self, course: str, assignment: str) -> bool:
        folder = self.released_dir(course)
        target = folder / assignment
        if not target.is_dir():
            return False
        shutil.rmtree(target)
        (folder / f"{assignment}.json").unlink(missing_ok=True)
        return True

    def released(self, course: str) -> list[dict]:
        folder = self.released_dir(course)
        if not folder.is_dir():
            return []
        found = []
        for meta in sorted(folder.glob("*.json")):
            if (folder / meta.stem).is_dir():
                found.append(json.loads(meta.read_text()))
        return found

    def released_files(self, course: str, assignment: str) -> dict[str, bytes] | None:
        target = self.released_dir(course) / assignment
        if not target.is_dir():
            return None
        return {p.relative_to(target).as_posix(): p.read_bytes() for p in sorted(target.rglob("*")) if p.is_file()}

    # --- submissions ---
    def submissions_dir(self, course: str, student: str | None = None, assignment: str | None = None) -> Path:
        path = self.root / course / "submissions"
        if student:
            path = path / student
            if assignment:
                path = path / assignment
        return path

    @property
    def max_body(self) -> int:
        """The largest upload read: the files' limit and room for the archive's own headers."""
        return self.max_bytes + 1_000_000 + 1024 * self.max_files

    def check_quota(self, course: str, assignment: str, student: str, size: int) -> None:
        """Refuse (`QuotaError`) a submission that would pass the student's stored bytes or their
        submissions of this assignment."""
        stored, count = 0, 0
        for receipt in self.receipts(course, student, feedback=False):
            stored += receipt.get("bytes", 0)
            count += receipt["assignment_id"] == assignment
        if count >= self.max_submissions:
            raise QuotaError(429, f"quota: you have submitted {assignment} {count} times, the limit of "
                                  f"{self.max_submissions} submissions per assignment (COURSE_EXCHANGE_MAX_SUBMISSIONS); "
                                  "ask an instructor")
        if stored + size > self.quota_bytes:
            raise QuotaError(413, f"quota: this submission ({size / 1e6:.1f} MB) would bring your stored submissions in "
                                  f"{course} to {(stored + size) / 1e6:.1f} MB, above your quota of "
                                  f"{self.quota_bytes / 1e6:g} MB (COURSE_EXCHANGE_QUOTA_MB); ask an instructor")

    def submit(self, course: str, assignment: str, student: str, files: dict[str, bytes],
               received: datetime | None = None, extra: dict | None = None, account: str | None = None) -> dict:
        files = {name: data for name, data in files.items() if name not in PLATFORM_FILES}
        self.check_quota(course, assignment, student, sum(len(d) for d in files.values()))
        received = received or self.receipt_time()
        submission_id = f"{received.strftime('%Y%m%dT%H%M%S.%fZ')}-{secrets.token_hex(4)}"
        timestamp = format_timestamp(received)
        receipt = {
            "course_id": course, "assignment_id": assignment, "student_id": student,
            "submission_id": submission_id, "timestamp": timestamp,
            "received_at": received.isoformat(), "files": {n: sha256(d) for n, d in sorted(files.items())},
            "bytes": sum(len(d) for d in files.values()), **(extra or {}),
        }
        stored = dict(files)
        stored["timestamp.txt"] = timestamp.encode()
        stored["submission_secret.txt"] = secrets.token_hex(32).encode()
        stored["receipt.json"] = json.dumps(receipt, indent=1).encode()
        parent = self.submissions_dir(course, student, assignment)
        created = [p for p in (parent.parent, parent) if not p.exists()]
        staging = parent / f".incoming-{submission_id}"
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.record_account(course, student, account)
            write_tree(staging, stored, file_mode=0o600, dir_mode=0o700)
            freeze(staging)
            os.chmod(staging, 0o700)  # a folder we own may be renamed only while writable by us ...
            staging.rename(parent / submission_id)  # ... and rename is atomic: a submission is whole or absent
        except BaseException:
            remove_tree(staging)
            for folder in reversed(created):
                remove_tree(folder)
            raise
        os.chmod(parent / submission_id, 0o555)
        return receipt

    # --- accounts: a deleted account's work goes to the archive, out of a new same-name account's sight ---
    def record_account(self, course: str, student: str, account: str | None) -> None:
        marker = self.submissions_dir(course, student) / ".account"
        if account and not marker.exists():
            marker.write_text(account)

    def recorded_account(self, course: str, student: str) -> str | None:
        marker = self.submissions_dir(course, student) / ".account"
        return marker.read_text() if marker.is_file() else None

    def courses(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and NAME.match(p.name))

    def check_account(self, student: str, account: str | None) -> None:
        """Archive what an earlier account of this name left, if the hub says this one is another."""
        if not account:
            return
        for course in self.courses():
            recorded = self.recorded_account(course, student)
            if recorded is not None and recorded != account:
                self.archive_student(course, student, f"account created {recorded} was deleted; "
                                                      f"{student} is now an account created {account}")

    def sweep(self, users: dict[str, str | None]) -> list[tuple[str, str]]:
        """Archive the folders of students the hub no longer has, or has as a new account."""
        archived = []
        for course in self.courses():
            names = set()
            for kind in ("submissions", "feedback"):
                folder = self.root / course / kind
                names |= {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
            for student in sorted(names):
                recorded = self.recorded_account(course, student)
                if student not in users:
                    self.archive_student(course, student, "the hub has no such user any more")
                elif recorded and users[student] and users[student] != recorded:
                    self.archive_student(course, student, f"account created {recorded} was replaced")
                else:
                    continue
                archived.append((course, student))
        return archived

    def archive_student(self, course: str, student: str, why: str) -> Path:
        target = self.root / course / "archive" / student / f"{self.clock.now().strftime('%Y%m%dT%H%M%S.%fZ')}-{secrets.token_hex(4)}"
        target.mkdir(parents=True, mode=0o700)
        for kind in ("submissions", "feedback"):
            source = self.root / course / kind / student
            if source.is_dir():
                os.chmod(source, 0o700)  # the folder itself is ours; its frozen contents move whole
                source.rename(target / kind)
        (target / "why.txt").write_text(why + "\n")
        log.info("archived %s's submissions in %s: %s", student, course, why)
        return target

    def receipts(self, course: str, student: str | None = None, assignment: str | None = None,
                 feedback: bool = True) -> list[dict]:
        base = self.submissions_dir(course)
        if not base.is_dir():
            return []
        students = [student] if student else sorted(p.name for p in base.iterdir() if p.is_dir())
        found = []
        for who in students:
            folder = base / who
            assignments = [assignment] if assignment else sorted(p.name for p in folder.glob("*") if p.is_dir())
            for what in assignments:
                for sub in sorted((folder / what).glob("*")):
                    if SUBMISSION_ID.match(sub.name) and (sub / "receipt.json").is_file():
                        receipt = json.loads((sub / "receipt.json").read_text())
                        if feedback:
                            receipt["feedback"] = self.feedback_checksums(course, who, what, sub.name)
                        found.append(receipt)
        return found

    def submission_files(self, course: str, student: str, assignment: str, submission_id: str) -> dict[str, bytes] | None:
        if not SUBMISSION_ID.match(submission_id):
            return None
        folder = self.submissions_dir(course, student, assignment) / submission_id
        if not folder.is_dir():
            return None
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name != "receipt.json"}

    def find_submission(self, course: str, student: str, assignment: str, timestamp: str) -> str | None:
        for receipt in self.receipts(course, student, assignment):
            if receipt["timestamp"] == timestamp or receipt["submission_id"] == timestamp:
                return receipt["submission_id"]
        return None

    # --- feedback ---
    def feedback_dir(self, course: str, student: str, assignment: str, submission_id: str) -> Path:
        return self.root / course / "feedback" / student / assignment / submission_id

    def release_feedback(self, course: str, student: str, assignment: str, submission_id: str, files: dict[str, bytes]) -> None:
        target = self.feedback_dir(course, student, assignment, submission_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.parent / f".{submission_id}.{secrets.token_hex(4)}"
        write_tree(staging, files)
        trash = target.parent / f".{submission_id}.old.{secrets.token_hex(4)}"
        if target.exists():
            target.rename(trash)
        staging.rename(target)
        shutil.rmtree(trash, ignore_errors=True)

    def feedback_checksums(self, course: str, student: str, assignment: str, submission_id: str) -> dict[str, str]:
        folder = self.feedback_dir(course, student, assignment, submission_id)
        if not folder.is_dir():
            return {}
        return {p.name: sha256(p.read_bytes()) for p in sorted(folder.glob("*.html"))}

    def feedback_files(self, course: str, student: str, assignment: str, submission_id: str) -> dict[str, bytes]:
        folder = self.feedback_dir(course, student, assignment, submission_id)
        return {p.name: p.read_bytes() for p in sorted(folder.glob("*.html"))} if folder.is_dir() else {}


class QuotaError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def refuse(status: int, message: str) -> web.HTTPError:
    """An HTTP error whose JSON body says ``message`` (the status line gets a plain ASCII copy)."""
    error = web.HTTPError(status, reason=message.encode("ascii", "backslashreplace").decode().replace("\r", " ").replace("\n", " ")[:300])
    error.message = message[:1000]
    return error


def remove_tree(path: Path) -> None:
    """Remove what a failed write left, read-only parts included."""
    if not path.exists():
        return
    for folder, dirs, files in os.walk(path):
        os.chmod(folder, 0o700)
    shutil.rmtree(path, ignore_errors=True)


@web.stream_request_body
class Handler(web.RequestHandler):
    """Bodies are streamed: an upload over the limit is read to its end without being kept and then
    refused with a 413 that says the limit (answering before the end makes the hub's proxy drop the
    answer); one more than twice the limit is refused as soon as its length is announced."""

    identity: Identity

    @property
    def store(self) -> Store:
        return self.settings["store"]

    async def prepare(self):
        header = self.request.headers.get("Authorization", "")
        match = re.match(r"(?:token|bearer)\s+(\S+)$", header, re.IGNORECASE)
        if not match:
            raise web.HTTPError(401, reason="a hub token is required (Authorization: token ...)")
        identity = await self.settings["identities"].identify(match.group(1))
        if identity is None:
            raise web.HTTPError(403, reason="the hub does not know this token")
        self.identity = identity
        if identity.kind == "user" and NAME.match(identity.name):
            self.store.check_account(identity.name, identity.created)
        self._body, self._body_size = [], 0
        if self.request.method in ("POST", "PUT", "PATCH"):
            hard_limit = 2 * self.store.max_body
            self.request.connection.set_max_body_size(hard_limit)
            length = self.request.headers.get("Content-Length", "0")
            if not length.isdigit() or int(length) > hard_limit:
                raise refuse(413, f"the upload ({length} bytes) is larger than the limit of "
                                  f"{self.store.max_body / 1e6:.0f} MB")

    def data_received(self, chunk: bytes) -> None:
        self._body_size += len(chunk)
        if self._body_size <= self.store.max_body:
            self._body.append(chunk)
        else:
            self._body = []  # over the limit: read on to the end, keep nothing

    def role(self, course: str) -> str:
        checked("course", course)
        role = self.identity.role(course)
        if role is None:
            raise web.HTTPError(403, reason=f"{self.identity.name} is not in course {course}")
        return role

    def require_instructor(self, course: str) -> None:
        if self.role(course) != "instructor":
            raise web.HTTPError(403, reason=f"only instructors of {course} may do this")

    def require_self_or_instructor(self, course: str, student: str) -> None:
        if self.role(course) != "instructor" and student != self.identity.name:
            raise web.HTTPError(403, reason="students may only see their own submissions")

    def archive_body(self) -> dict[str, bytes]:
        if self._body_size > self.store.max_body:
            raise refuse(413, f"the upload ({self._body_size / 1e6:.1f} MB) is larger than the limit of "
                              f"{self.store.max_body / 1e6:.0f} MB")
        try:
            return unpack(b"".join(self._body), self.store.max_bytes, self.store.max_files)
        except ArchiveError as exc:
            raise refuse(exc.status, str(exc))

    def send_json(self, value, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(value))

    def send_archive(self, files: dict[str, bytes]) -> None:
        self.set_header("Content-Type", "application/gzip")
        self.finish(pack_files(files))

    def gated(self, decide, *args):
        """Ask the policy gate; a refusal becomes an HTTP error that says why."""
        try:
            return decide(*args)
        except Refused as refused:
            raise web.HTTPError(refused.status, reason=refused.message)
        except PolicyError as exc:
            log.error("the policies of this course cannot be used: %s", exc)
            raise web.HTTPError(500, reason=f"the course's policies cannot be used: {exc}"[:300])

    def write_error(self, status_code: int, **kwargs) -> None:
        error = kwargs.get("exc_info", (None, None))[1]
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error": getattr(error, "message", None) or self._reason, "status": status_code}))


class HealthHandler(web.RequestHandler):
    def get(self):
        self.finish({"ok": True})


class WhoAmIHandler(Handler):
    def get(self):
        self.send_json({"name": self.identity.name, "kind": self.identity.kind, "courses": self.identity.courses()})


class AssignmentsHandler(Handler):
    def get(self, course):
        released = self.store.released(course)
        if self.role(course) != "instructor":  # an exam appears at its opening time
            now = self.store.clock.now()
            released = [a for a in released if self.gated(self.store.gate.visible, course, a["assignment_id"], now)]
        self.send_json(released)


class AssignmentHandler(Handler):
    def get(self, course, assignment):
        role = self.role(course)
        files = self.store.released_files(course, checked("assignment", assignment))
        if files is None:
            raise web.HTTPError(404, reason=f"{assignment} is not released in {course}")
        if role != "instructor" and self.identity.kind == "user":
            self.gated(self.store.gate.check_fetch, course, assignment, self.identity.name, self.store.clock.now())
        self.send_archive(files)

    def put(self, course, assignment):
        self.require_instructor(course)
        meta = self.store.release(course, checked("assignment", assignment), self.archive_body(), self.identity.name)
        log.info("%s released %s/%s (%d files)", self.identity.name, course, assignment, len(meta["files"]))
        self.send_json(meta)

    def delete(self, course, assignment):
        self.require_instructor(course)
        if not self.store.unrelease(course, checked("assignment", assignment)):
            raise web.HTTPError(404, reason=f"{assignment} is not released in {course}")
        log.info("%s withdrew %s/%s", self.identity.name, course, assignment)
        self.send_json({"removed": assignment})


class SubmitHandler(Handler):
    def post(self, course, assignment):
        self.role(course)
        checked("assignment", assignment)
        if self.store.released_files(course, assignment) is None:
            raise web.HTTPError(404, reason=f"{assignment} is not released in {course}")
        student = checked("student", self.identity.name) if self.identity.kind == "user" else None
        if student is None:
            raise web.HTTPError(403, reason="only hub users submit")
        files = self.archive_body()
        if not set(files) - PLATFORM_FILES:
            raise refuse(400, "the archive holds no files: nothing to submit")
        received = self.store.receipt_time()  # the platform's time decides, never the upload's
        timing = self.gated(self.store.gate.check_submit, course, assignment, student, received)
        try:
            receipt = self.store.submit(course, assignment, student, files, received=received, extra=timing,
                                        account=self.identity.created)
        except QuotaError as exc:
            raise refuse(exc.status, exc.message)
        except OSError as exc:
            log.error("could not store a submission of %s/%s from %s: %s", course, assignment, student, exc)
            raise refuse(507 if exc.errno == errno.ENOSPC else 500, "the exchange could not store the submission; "
                         "nothing was kept, please submit again later")
        log.info("received %s/%s from %s at %s: %d files, %d bytes, id %s", course, assignment, student,
                 receipt["timestamp"], len(receipt["files"]), receipt["bytes"], receipt["submission_id"])
        challenge_intake.hand_over(receipt, files)  # challenge entries go on to the leaderboard
        self.send_json(receipt, status=201)


class SubmissionListHandler(Handler):
    def get(self, course):
        role = self.role(course)
        student = self.get_argument("student", None)
        assignment = self.get_argument("assignment", None)
        if role != "instructor":
            if student not in (None, self.identity.name):
                raise web.HTTPError(403, reason="students may only list their own submissions")
            student = self.identity.name
        if student:
            checked("student", student)
        if assignment:
            checked("assignment", assignment)
        self.send_json(self.store.receipts(course, student, assignment))


class SubmissionHandler(Handler):
    def get(self, course, student, assignment, submission_id):
        self.require_self_or_instructor(course, checked("student", student))
        files = self.store.submission_files(course, student, checked("assignment", assignment), submission_id)
        if files is None:
            raise web.HTTPError(404, reason="no such submission")
        self.send_archive(files)

    # A received submission is never changed or removed through the exchange.
    def put(self, *args):
        raise web.HTTPError(405, reason="a received submission cannot be changed; submit again instead")

    post = patch = delete = put


class FeedbackHandler(Handler):
    def get(self, course, student, assignment):
        self.require_self_or_instructor(course, checked("student", student))
        checked("assignment", assignment)
        found = []
        for receipt in self.store.receipts(course, student, assignment):
            files = self.store.feedback_files(course, student, assignment, receipt["submission_id"])
            if files:
                found.append({"timestamp": receipt["timestamp"], "submission_id": receipt["submission_id"],
                              "files": {n: base64.b64encode(d).decode() for n, d in files.items()}})
        self.send_json(found)

    def put(self, course, student, assignment):
        self.require_instructor(course)
        checked("student", student)
        checked("assignment", assignment)
        timestamp = self.get_argument("timestamp")
        submission_id = self.store.find_submission(course, student, assignment, timestamp)
        if submission_id is None:
            raise web.HTTPError(404, reason=f"{student} has no submission of {assignment} received at {timestamp}")
        files = {n: d for n, d in self.archive_body().items() if n.endswith(".html") and "/" not in n}
        self.store.release_feedback(course, student, assignment, submission_id, files)
        log.info("%s released feedback for %s on %s/%s (%s)", self.identity.name, student, course, assignment, submission_id)
        self.send_json({"submission_id": submission_id, "files": sorted(files)})


class PoliciesHandler(Handler):
    """The course's policies: instructors put the ``policies/`` folder; everyone reads the timing
    that applies to them (instructors: to ``?student=``, or the plain policies)."""

    def get(self, course):
        role = self.role(course)
        student = self.get_argument("student", None) if role == "instructor" else self.identity.name
        if student:
            checked("student", student)
        now = self.store.clock.now()
        names = [a["assignment_id"] for a in self.store.released(course)]
        found = self.gated(self.store.gate.status, course, names, student, now)
        if role != "instructor":
            found = [a for a in found if a["state"] != "not open" or a["kind"] != "homework"]
        self.send_json({"now": now.isoformat(), "student": student, "assignments": found})

    def put(self, course):
        self.require_instructor(course)
        try:
            names = self.store.gate.replace_policies(course, self.archive_body())
        except PolicyError as exc:
            raise web.HTTPError(400, reason=str(exc)[:300])
        log.info("%s set the policies of %s: %s", self.identity.name, course, ", ".join(names) or "none")
        self.send_json({"policies": names})


def make_app(store: Store, identities: HubIdentities, prefix: str = "/") -> web.Application:
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    part = r"([^/]+)"
    routes = [
        (r"api/health", HealthHandler),
        (r"api/whoami", WhoAmIHandler),
        (rf"api/courses/{part}/assignments", AssignmentsHandler),
        (rf"api/courses/{part}/assignments/{part}", AssignmentHandler),
        (rf"api/courses/{part}/assignments/{part}/submissions", SubmitHandler),
        (rf"api/courses/{part}/submissions", SubmissionListHandler),
        (rf"api/courses/{part}/submissions/{part}/{part}/{part}", SubmissionHandler),
        (rf"api/courses/{part}/feedback/{part}/{part}", FeedbackHandler),
        (rf"api/courses/{part}/policies", PoliciesHandler),
    ]
    return web.Application([(prefix + pattern, handler) for pattern, handler in routes],
                           store=store, identities=identities)


async def sweep_deleted(store: Store, identities: HubIdentities) -> None:
    """Archive the folders of accounts the hub no longer has (skipped when the hub gives no list)."""
    try:
        users = await identities.users()
    except web.HTTPError:
        users = None
    if not users:
        log.warning("the hub did not list its users: deleted accounts are archived on their next use only")
        return
    store.sweep(users)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.environ.get("COURSE_EXCHANGE_ROOT"), required=not os.environ.get("COURSE_EXCHANGE_ROOT"),
                        help="storage folder (only this service's account may read it)")
    parser.add_argument("--max-mb", type=int, default=int(os.environ.get("COURSE_EXCHANGE_MAX_MB", "50")),
                        help="largest upload, MB of files")
    parser.add_argument("--max-entries", type=int, default=int(os.environ.get("COURSE_EXCHANGE_MAX_ENTRIES", "500")),
                        help="most files and folders in one upload")
    parser.add_argument("--quota-mb", type=int, default=int(os.environ.get("COURSE_EXCHANGE_QUOTA_MB", "500")),
                        help="most MB of submissions kept per student and course")
    parser.add_argument("--max-submissions", type=int, default=int(os.environ.get("COURSE_EXCHANGE_MAX_SUBMISSIONS", "100")),
                        help="most submissions per student and assignment")
    parser.add_argument("--sweep-seconds", type=float, default=float(os.environ.get("COURSE_EXCHANGE_SWEEP_SECONDS", "60")),
                        help="how often deleted accounts' folders are archived (0: only when the account is used)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s course.exchange] %(message)s")
    os.umask(0o077)
    from urllib.parse import urlparse

    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/exchange/")
    store = Store(Path(args.root), max_bytes=args.max_mb * 1_000_000, max_files=args.max_entries,
                  quota_bytes=args.quota_mb * 1_000_000, max_submissions=args.max_submissions)
    identities = HubIdentities(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
    app = make_app(store, identities, prefix)
    server = HTTPServer(app, max_body_size=2 * store.max_body)
    from .hubconfig import service_address
    server.listen(*service_address(url))
    if args.sweep_seconds > 0:
        PeriodicCallback(lambda: sweep_deleted(store, identities), args.sweep_seconds * 1000).start()
        IOLoop.current().add_callback(sweep_deleted, store, identities)
    log.info("exchange serving %s at %s%s (storage %s, owner uid %d)", "nbgrader", url.geturl(), prefix, args.root, os.geteuid())
    loop = IOLoop.current()
    for signum in (signal.SIGINT, signal.SIGTERM):  # the hub stops its services so; a KeyboardInterrupt raised
        # inside a callback (the periodic sweep) would only be logged, and the exchange would outlive the hub
        signal.signal(signum, lambda *_: loop.add_callback_from_signal(loop.stop))
    loop.start()


if __name__ == "__main__":
    main()
