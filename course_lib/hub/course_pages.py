"""The hub's "Course status" service (/services/course-status/): deadlines, exam time, admission.

- A student sees the open assignments with their own deadlines, a live countdown for a running
  exam (or practice exam), their latest submission's receipt time, and their progress towards
  exam admission.
- An instructor sees every assignment's policy, the admission list (and its CSV), and grants or
  removes per-student extensions.
- It hands the course's ``policies/`` folder to the exchange at start and whenever it changes
  (every few seconds), so that what instructors write is what the exchange enforces.

It runs as the course's owner (like the formgrader): it reads the course root and the gradebook
and writes ``policies/extensions.toml``. It talks to the exchange with the formgrader's token
(``COURSE_EXCHANGE_TOKEN``). Run as a hub service: ``python -m course_lib.hub.course_pages``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import threading
from pathlib import Path
from urllib.parse import quote, urlparse

import requests
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import web
from tornado.ioloop import IOLoop, PeriodicCallback

from .csp import page_policy
from ..term.policy import PolicyError, load_policies
from ..term.sync import exchange_settings, fingerprint, policy_files, push

log = logging.getLogger("course.status")
SYNC_SECONDS = float(os.environ.get("COURSE_POLICY_SYNC_SECONDS", "5"))

STYLE = """body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
.countdown{font-size:1.6em;font-weight:bold;color:#b00020}.ok{color:#0a7a28}.no{color:#b00020}
.note{color:#555}.error{background:#fde;padding:.5em}"""
COUNTDOWN = """
for (const el of document.querySelectorAll('.countdown')) {
  const end = Date.now() + 1000 * parseFloat(el.dataset.seconds);
  const tick = () => {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    el.textContent = left > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')} left`
                              : 'time is up: submissions are no longer accepted';
  };
  tick(); setInterval(tick, 1000);
}
"""
COUNTDOWN_JS = f"<script>{COUNTDOWN}</script>"


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def table(headers: list[str], rows: list[list[str]], table_id: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><tr>{head}</tr>{body}</table>'


def when(iso: str | None) -> str:
    return esc(iso.replace("T", " ").replace("+00:00", " UTC")) if iso else "–"


class Course:
    """What the pages read: the exchange (deadlines, receipts) and the course root (gradebook, policies)."""

    def __init__(self, root: Path, course_id: str, exchange_url: str, token: str):
        self.root, self.course_id = root, course_id
        self.exchange_url, self.token = exchange_url.rstrip("/"), token
        self.pushed: str | None = None
        self.sync_error: str | None = None
        self._syncing = threading.Lock()
        self._gradebook: tuple[str, str] | None = None  # db_url, course id from the course's nbgrader_config.py
        self._admission = None  # (what it was computed from, (rule, table))

    @property
    def policies(self) -> Path:
        return self.root / "policies"

    def exchange(self, path: str, **params):
        response = requests.get(f"{self.exchange_url}/api/courses/{quote(self.course_id, safe='')}/{path}",
                                headers={"Authorization": f"token {self.token}"}, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def sync(self) -> None:
        """Push the policies to the exchange when they changed since the last push (one push at a time)."""
        with self._syncing:
            self._sync()

    def _sync(self) -> None:
        try:
            current = fingerprint(policy_files(self.policies))
            if current != self.pushed:
                names = push(self.policies, self.course_id, self.exchange_url, self.token)
                self.pushed, self.sync_error = current, None
                log.info("the exchange now enforces %s", ", ".join(names) or "no policies")
        except (PolicyError, ValueError, requests.RequestException) as exc:
            if str(exc) != self.sync_error:
                log.error("policies not handed to the exchange: %s", exc)
            self.sync_error = str(exc)

    def admission(self):
        """The admission rule and list, recomputed only when the gradebook or the policies change."""
        from ..course_dir import load_config
        from ..term.admission import admission_table, load_rule
        from ..term.scores import score_table

        if self._gradebook is None:
            config = load_config(self.root)
            self._gradebook = (config.CourseDirectory.db_url, config.CourseDirectory.course_id)
        db_file = self._gradebook[0].split("sqlite:///", 1)[-1].split("?", 1)[0]
        stamp = [os.stat(db_file).st_mtime_ns if os.path.exists(db_file) else None]
        stamp += [(f.name, f.stat().st_mtime_ns) for f in sorted(self.policies.glob("*.toml"))]
        if self._admission is None or self._admission[0] != stamp:
            rule = load_rule(self.policies)
            scores = score_table(*self._gradebook, load_policies(self.policies))
            self._admission = (stamp, (rule, admission_table(scores, rule)))
        return self._admission[1]


class Page(HubOAuthenticated, web.RequestHandler):
    def set_default_headers(self):
        self.set_header("Content-Security-Policy", page_policy(COUNTDOWN))  # the countdown and no other script

    @property
    def course(self) -> Course:
        return self.settings["course"]

    def is_instructor(self) -> bool:
        return f"formgrade-{self.course.course_id}" in self.groups

    async def prepare(self):
        user = self.get_current_user()
        self.groups = set()
        if user:
            self.groups = await asyncio.to_thread(self.settings["groups_of"], user["name"])

    def render_page(self, title: str, body: str) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>"
                    f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>{body}"
                    f"<p><a href='/hub/home'>Back to the hub</a></p>{COUNTDOWN_JS}</body></html>")


class StatusPage(Page):
    @web.authenticated
    async def get(self):
        name = self.current_user["name"]
        if self.is_instructor():
            return self.render_page("Course status (instructor)", await asyncio.to_thread(self.instructor_body))
        if f"nbgrader-{self.course.course_id}" not in self.groups:
            raise web.HTTPError(403, reason=f"{name} is not in course {self.course.course_id}")
        self.render_page("Course status", await asyncio.to_thread(self.student_body, name))

    # --- a student ---
    def student_body(self, name: str) -> str:
        status = self.course.exchange("policies", student=name)
        latest = {}
        for receipt in self.course.exchange("submissions", student=name):
            latest[receipt["assignment_id"]] = max(latest.get(receipt["assignment_id"], ""), receipt["received_at"])
        parts, rows = [f"<p>Signed in as <strong>{esc(name)}</strong>. Times are the platform's (UTC).</p>"], []
        for a in status["assignments"]:
            running = a["state"] == "open" and a["seconds_left"] is not None
            if running and a["kind"] in ("exam", "practice"):
                parts.append(f'<div class="exam" id="exam-{esc(a["assignment"])}"><h2>{esc(a["title"])} is running</h2>'
                             f'<p>Your deadline: {when(a["deadline"])}'
                             + (" (extended for you)" if a["extended"] else "")
                             + (f'; {a["duration_minutes"]:g} minutes from your first fetch' if a["duration_minutes"] else "")
                             + f'</p><p class="countdown" data-seconds="{a["seconds_left"]:.0f}"></p>'
                             '<p class="note">Submit from the Assignments tab in JupyterLab before the time is up; '
                             'the platform records when it receives your submission.</p></div>')
            late = {"none": "accepted, no penalty", "zero": "scores 0",
                    "deduction": f"minus {a['deduction_per_hour']:g} % per started hour (at most {a['deduction_cap']:g} %)"}[a["late"]]
            rows.append([esc(a["title"]), esc(a["kind"]), esc(a["state"]), when(a["opens"]), when(a["deadline"]),
                         esc(late if a["accept_late"] else "not accepted"), when(latest.get(a["assignment"]))])
        parts.append("<h2>Assignments</h2>" + table(
            ["assignment", "kind", "state", "opens", "your deadline", "late submissions", "your latest submission"],
            rows, "assignments"))
        talks = [f'{esc(a["title"])}: {when(a["presentation"])}'
                 + (f', {a["presentation_minutes"]:g} minutes per talk' if a.get("presentation_minutes") else "")
                 for a in status["assignments"] if a.get("presentation")]
        if talks:  # a project's presentation slot (policies: presentation, presentation_minutes)
            parts.append("<h2>Presentations</h2><ul id='presentations'>" + "".join(f"<li>{t}</li>" for t in talks) + "</ul>")
        parts.append(self.own_admission(name))
        return "".join(parts)

    def own_admission(self, name: str) -> str:
        try:
            rule, admission = self.course.admission()
        except Exception as exc:  # no gradebook yet, a broken rule: say so, keep the page
            log.warning("admission not available: %s", exc)
            return "<h2>Exam admission</h2><p class='note'>No graded work yet.</p>"
        mine = admission[admission["student"] == name]
        if mine.empty:
            return (f"<h2>Exam admission</h2><p>Rule: {esc(rule.describe())}. "
                    "No graded work of yours yet.</p>")
        row = mine.iloc[0]
        verdict = ("<span class='ok'>reached</span>" if row["admitted"] else
                   f"<span class='no'>not yet</span>: {row['needed'] - row['points']:.2f} points to go")
        return (f"<h2>Exam admission</h2><p id='admission-progress'>Rule: {esc(rule.describe())}. You have "
                f"<strong>{row['points']:g} of {row['max_points']:g}</strong> points ({row['percent']:.1f} %); "
                f"{row['needed']:g} are needed. Admission: {verdict}.</p>")

    # --- an instructor ---
    def instructor_body(self) -> str:
        course, parts = self.course, []
        if course.sync_error:
            parts.append(f"<p class='error'>The policies were not handed to the exchange: {esc(course.sync_error)}</p>")
        status = course.exchange("policies")
        rows = [[esc(a["assignment"]), esc(a["kind"]), esc(a["state"]), when(a["opens"]), when(a["closes"]),
                 esc(f'{a["duration_minutes"]:g} min' if a["duration_minutes"] else "–"),
                 esc(a["late"] + ("" if a["accept_late"] else ", refused"))] for a in status["assignments"]]
        parts.append("<h2>Released assignments</h2>" + table(
            ["assignment", "kind", "state", "opens", "closes", "duration", "late"], rows, "policies"))
        try:
            policies = load_policies(course.policies)
            ext_rows = [[esc(p.assignment), esc(s), when(t.isoformat())]
                        for p in policies.values() for s, t in sorted(p.extensions.items())]
        except PolicyError as exc:
            policies, ext_rows = {}, []
            parts.append(f"<p class='error'>{esc(exc)}</p>")
        xsrf = self.xsrf_form_html()
        options = "".join(f"<option>{esc(n)}</option>" for n, p in sorted(policies.items()) if p.closes)
        parts.append("<h2>Extensions</h2>" + table(["assignment", "student", "closes for them"], ext_rows, "extensions")
                     + f"<form method='post' action='extensions' id='extend-form'>{xsrf}"
                     "student <input name='student' required> assignment <select name='assignment'>" + options
                     + "</select> extra hours <input name='hours' size='4'> or until <input name='until' "
                     "placeholder='2026-07-24T12:00:00+02:00'> <label><input type='checkbox' name='revoke'> remove</label> "
                     "<button type='submit'>Save</button></form>")
        try:
            rule, admission = course.admission()
            rows = [[esc(r.student), f"{r.points:g}", f"{r.max_points:g}", f"{r.percent:.1f} %",
                     f"{r.sheets_submitted} of {r.sheets}", "yes" if r.admitted else "no"]
                    for r in admission.itertuples()]
            parts.append(f"<h2>Exam admission</h2><p>Rule: {esc(rule.describe())}; "
                         f"{int(admission['admitted'].sum())} of {len(admission)} admitted. "
                         "<a href='admission.csv'>Download CSV</a></p>"
                         + table(["student", "points", "of", "percent", "sheets submitted", "admitted"], rows, "admission"))
        except Exception as exc:
            parts.append(f"<h2>Exam admission</h2><p class='note'>Not available yet: {esc(exc)}</p>")
        return "".join(parts)


class ExtensionForm(Page):
    @web.authenticated
    async def post(self):
        if not self.is_instructor():
            raise web.HTTPError(403, reason="only instructors grant extensions")
        from ..term.cli import grant_extension

        hours = self.get_argument("hours", "").strip()
        try:
            await asyncio.to_thread(grant_extension, self.course.policies, self.get_argument("student").strip(),
                                    self.get_argument("assignment"), self.get_argument("until", "").strip() or None,
                                    float(hours) if hours else None, bool(self.get_argument("revoke", "")))
        except (ValueError, KeyError) as exc:
            raise web.HTTPError(400, reason=str(exc.args[0] if exc.args else exc)[:300])
        await asyncio.to_thread(self.course.sync)  # the exchange enforces it at once
        log.info("%s changed an extension of %s for %s", self.current_user["name"], self.get_argument("assignment"),
                 self.get_argument("student"))
        self.redirect(self.settings["prefix"])


class AdmissionCsv(Page):
    @web.authenticated
    async def get(self):
        if not self.is_instructor():
            raise web.HTTPError(403, reason="only instructors see the admission list")
        _, admission = await asyncio.to_thread(self.course.admission)
        self.set_header("Content-Type", "text/csv")
        self.set_header("Content-Disposition", "attachment; filename=admission.csv")
        self.finish(admission.to_csv(index=False))


def groups_lookup(api_url: str, token: str):
    def groups_of(user: str) -> set[str]:
        response = requests.get(f"{api_url.rstrip('/')}/users/{quote(user, safe='')}",
                                headers={"Authorization": f"token {token}"}, timeout=30)
        return set(response.json().get("groups") or []) if response.ok else set()
    return groups_of


def warm_up(course: Course) -> None:
    """Load nbgrader and the gradebook once at start, so that the first page is quick."""
    try:
        course.admission()
    except Exception as exc:
        log.info("no admission list yet: %s", exc)


def make_app(course: Course, prefix: str, groups_of) -> web.Application:
    return web.Application([
        (prefix, StatusPage),
        (url_path_join(prefix, "extensions"), ExtensionForm),
        (url_path_join(prefix, "admission.csv"), AdmissionCsv),
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
    ], course=course, prefix=prefix, groups_of=groups_of, cookie_secret=os.urandom(32), xsrf_cookies=True)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="[%(levelname).1s %(asctime)s course.status] %(message)s")
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/course-status/")
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10104"))
    exchange_url, token = exchange_settings(os.environ.get("COURSE_EXCHANGE_URL"), os.environ.get("COURSE_EXCHANGE_TOKEN"))
    course = Course(Path(os.environ.get("COURSE_ROOT", ".")).resolve(), os.environ.get("COURSE_ID", "mlphys"), exchange_url, token)
    app = make_app(course, prefix, groups_lookup(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"]))
    from .hubconfig import service_address
    app.listen(*service_address(url))
    log.info("course status at %s%s for %s (policies: %s)", url.geturl(), prefix, course.course_id, course.policies)
    loop = IOLoop.current()
    loop.add_callback(lambda: asyncio.to_thread(course.sync))
    loop.add_callback(lambda: asyncio.to_thread(warm_up, course))
    PeriodicCallback(lambda: asyncio.ensure_future(asyncio.to_thread(course.sync)), SYNC_SECONDS * 1000).start()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
