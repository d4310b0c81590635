"""The leaderboard page: a tornado app run as a JupyterHub service (HubOAuth login).

Pages, under the service prefix (``/services/leaderboard/`` in the hub):

=====================================  ===============================================================
``/``                                  the boards of both challenges, the student's daily count
``/board/<challenge>/<board>``         one board (``?stage=public|final``): the table, the score
                                       distribution and a progress plot; ``board`` is e.g.
                                       ``medium-normal`` or ``maze``
``/board/<challenge>/<board>.csv``     the same table as CSV
``/entries/<challenge>``               the viewer's own entries with messages and their progress
                                       (instructors: ``?student=NAME``)
``POST /pseudonym``                    a student chooses their pseudonym
``POST /final/<challenge>/start``      instructors: freeze best entries, queue final-seed runs
``POST /final/<challenge>/reveal``     instructors: reveal the final board and the seeds
``POST /settings``                     instructors: the daily cap, training runs K and maze episodes N
``POST /api/intake``                   the course exchange hands over a challenge submission (its
                                       hub service token; `course_lib.hub.challenge_intake`)
``/oauth_callback``                    the end of the hub's OAuth login
=====================================  ===============================================================

Instructors are hub admins and members of the group ``formgrade-<course>`` (the hub includes
groups in the user model of an OAuth token with the ``identify`` scope). Students see
pseudonyms; instructors see real names.

`make_app(store, current_user=...)` takes a function ``handler -> user model or None`` that
replaces the hub login, so tests and a local preview run without a hub. Forms are protected by
XSRF tokens either way (JupyterHub's scheme under the hub, tornado's in the injected mode).

``python -m course_lib.leaderboard.web`` runs the service with the environment the hub gives it
(JUPYTERHUB_SERVICE_URL, JUPYTERHUB_SERVICE_PREFIX, JUPYTERHUB_API_TOKEN, COURSE_ID, ...). It
also runs the scoring worker every ``COURSE_LEADERBOARD_WORKER_INTERVAL`` seconds (default 30;
0 turns it off) in a background thread, so entries are scored even if nobody calls `run_once`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
import json
import logging
import os
import re
import secrets
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlparse

import pandas as pd
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web

from course_lib.hub.csp import page_policy
from course_lib.leaderboard.boards import BoardView, Viewer, board_view, boards_of, student_runs
from course_lib.leaderboard.config import CHALLENGES
from course_lib.leaderboard.final import start_final_scoring
from course_lib.leaderboard.intake import arrivals_of, receive_submission
from course_lib.leaderboard.plots import progress_png, score_distribution_png
from course_lib.leaderboard.hub_users import HubUnavailable, hub_user_names
from course_lib.leaderboard.pseudonyms import PseudonymError, pseudonym_of, set_pseudonym
from course_lib.leaderboard.schema import FINAL, PUBLIC
from course_lib.leaderboard.seeds import reveal_final, seed_info
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import submissions_today
from course_lib.leaderboard.worker import preempt_reference_run

CurrentUser = Callable[[web.RequestHandler], "dict | None"]
TokenOwner = Callable[[str], "dict | None"]
INTAKE_SERVICES = ("exchange",)  # hub services that may hand over submissions
log = logging.getLogger("course_lib.leaderboard")
CHALLENGE_TITLES = {"autoencoder": "Grand Autoencoder Challenge", "maze": "Maze challenge"}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 64em; padding: 0 1em; }
table.board { border-collapse: collapse; margin: 1em 0; }
table.board th, table.board td { border-bottom: 1px solid #ccc; padding: 0.25em 0.7em; text-align: left; }
table.board tr.reference td { color: #555; font-style: italic; background: #f4f4f4; }
table.board tr.you td { background: #fff4c2; font-weight: bold; }
nav a { margin-right: 1em; } .notice { background: #eef; padding: 0.5em 1em; } .error { background: #fdd; }
img.plot { max-width: 100%; display: block; margin: 1em 0; }
"""


def board_slug(board: str) -> str:
    return board.replace("/", "-").lower()


def board_from_slug(challenge: str, slug: str) -> str:
    for board in boards_of(challenge):
        if board_slug(board) == slug.lower():
            return board
    raise web.HTTPError(404, f"{challenge} has no board {slug}")


def is_instructor(user: dict, course_id: str) -> bool:
    return bool(user.get("admin")) or f"formgrade-{course_id}" in (user.get("groups") or [])


class BaseHandler(HubOAuthenticated, web.RequestHandler):
    """Hub login, or the injected `current_user` function when the app was made with one."""

    def set_default_headers(self):
        self.set_header("Content-Security-Policy", page_policy())  # no script runs on these pages

    @property
    def store(self) -> Store:
        return self.settings["leaderboard_store"]

    @property
    def injected_user(self) -> CurrentUser | None:
        return self.settings.get("leaderboard_current_user")

    def get_current_user(self):
        if self.injected_user is not None:
            return self.injected_user(self)
        return super().get_current_user()

    def get_login_url(self):
        if self.injected_user is not None:
            raise web.HTTPError(403, "not logged in")
        return super().get_login_url()

    @property
    def xsrf_token(self):
        if self.injected_user is not None:
            return web.RequestHandler.xsrf_token.fget(self)
        return super().xsrf_token

    def check_xsrf_cookie(self):
        if self.injected_user is not None:
            return web.RequestHandler.check_xsrf_cookie(self)
        return super().check_xsrf_cookie()

    @property
    def viewer(self) -> Viewer:
        user = self.current_user
        return Viewer(user["name"], is_instructor(user, self.store.config.course_id))

    def url(self, path: str = "", **query) -> str:
        base = self.settings["leaderboard_prefix"] + path.lstrip("/")
        query = {key: value for key, value in query.items() if value is not None}
        return base + ("?" + urlencode(query) if query else "")

    def require_instructor(self) -> None:
        if not self.viewer.instructor:
            raise web.HTTPError(403, "only instructors may do this")

    def page(self, title: str, body: str) -> None:
        viewer = self.viewer
        links = [f'<a href="{self.url()}">boards</a>']
        links += [f'<a href="{self.url(f"entries/{c}")}">my {c} entries</a>' for c in CHALLENGES]
        role = "instructor" if viewer.instructor else "student"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><nav>{''.join(links)}"
            f"<span>signed in as {html.escape(viewer.name)} ({role})</span></nav>"
            f"<h1>{html.escape(title)}</h1>{body}</body></html>"
        )

    def write_error(self, status_code: int, **kwargs) -> None:
        reason = self._reason
        exception = kwargs.get("exc_info", (None, None))[1]
        if isinstance(exception, web.HTTPError) and exception.log_message:
            reason = exception.log_message % exception.args if exception.args else exception.log_message
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(f"<!doctype html><html><body><h1>{status_code}</h1><p>{html.escape(str(reason))}</p></body></html>")


def table_html(view: BoardView) -> str:
    """The display table as HTML: exactly the cells of `view.table` (and of its CSV)."""
    header = "".join(f"<th>{html.escape(str(column))}</th>" for column in view.table.columns)
    rows = []
    for cells in view.table.itertuples(index=False):
        note = cells[-2] if view.viewer.instructor else cells[-1]
        css = {"reference": "reference", "you": "you"}.get(note, "")
        row = "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells)
        rows.append(f'<tr class="{css}">{row}</tr>' if css else f"<tr>{row}</tr>")
    return f'<table class="board"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def png_img(data: bytes, alt: str) -> str:
    return f'<img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


class IndexHandler(BaseHandler):
    @web.authenticated
    def get(self):
        viewer = self.viewer
        parts = []
        for challenge in CHALLENGES:
            info = seed_info(self.store, challenge)
            final_visible = info.final_revealed or viewer.instructor
            items = []
            for board in boards_of(challenge):
                link = f'<a href="{self.url(f"board/{challenge}/{board_slug(board)}")}">{html.escape(board)}</a>'
                if final_visible:
                    final = self.url(f"board/{challenge}/{board_slug(board)}", stage=FINAL)
                    link += f' (<a href="{final}">final</a>)'
                items.append(f"<li>{link}</li>")
            parts.append(f"<h2>{CHALLENGE_TITLES[challenge]}</h2><ul>{''.join(items)}</ul>")
            if viewer.instructor:
                parts.append(self._final_controls(challenge, info))
        if viewer.instructor:
            cap = self.store.daily_cap()
            runs, episodes = self.store.scoring_size("autoencoder_runs"), self.store.scoring_size("maze_episodes")
            parts.append(
                f'<h2>Settings</h2><form method="post" action="{self.url("settings")}">{self.xsrf_form_html()}'
                f'<p>daily cap per student <input name="daily_cap" type="number" min="0" value="{cap}"></p>'
                f'<p>autoencoder training runs K per entry <input name="autoencoder_runs" type="number" min="1" '
                f'value="{runs}"> (the rules\' default: 3)</p>'
                f'<p>maze episodes N per entry <input name="maze_episodes" type="number" min="1" value="{episodes}"> '
                "(the rules' default: 1000)</p><p>Sizes apply to entries received from now on.</p>"
                '<button type="submit">save</button></form>'
            )
        else:
            used, cap = submissions_today(self.store, viewer.name)
            pseudonym = pseudonym_of(self.store, viewer.name)
            parts.insert(0, f"<p>Scored submissions today: {used} of {cap}.</p>")
            parts.append(self._pseudonym_form(pseudonym))
        self.page("Leaderboards of the course challenges", "".join(parts))

    def _final_controls(self, challenge: str, info) -> str:
        state = (
            f"revealed {info.final_revealed_at:%Y-%m-%d %H:%M} UTC" if info.final_revealed
            else f"scoring started {info.final_queued_at:%Y-%m-%d %H:%M} UTC, hidden from students"
            if info.final_queued_at else "not started"
        )
        forms = f"<p>Final board: {state}.</p>"
        if not info.final_revealed:
            forms += (
                f'<form method="post" action="{self.url(f"final/{challenge}/start")}">{self.xsrf_form_html()}'
                "<button>freeze best entries and score the final board</button></form>"
            )
            if info.final_queued_at:
                forms += (
                    f'<form method="post" action="{self.url(f"final/{challenge}/reveal")}">{self.xsrf_form_html()}'
                    "<button>reveal the final board and the seeds</button></form>"
                )
        return forms

    def _pseudonym_form(self, pseudonym: str | None) -> str:
        shown = html.escape(pseudonym) if pseudonym else "(a generated pseudonym, once you enter)"
        return (
            f"<h2>Your pseudonym</h2><p>Other students see you as <b>{shown}</b>.</p>"
            f'<form method="post" action="{self.url("pseudonym")}">{self.xsrf_form_html()}'
            '<input name="pseudonym" maxlength="32" required> <button type="submit">choose</button></form>'
        )


class BoardHandler(BaseHandler):
    def view(self, challenge: str, slug: str) -> BoardView:
        if challenge not in CHALLENGES:
            raise web.HTTPError(404, f"no challenge {challenge}")
        stage = self.get_argument("stage", PUBLIC)
        if stage not in (PUBLIC, FINAL):
            raise web.HTTPError(400, "stage must be public or final")
        return board_view(self.store, challenge, board_from_slug(challenge, slug), stage, self.viewer)

    @web.authenticated
    def get(self, challenge: str, slug: str):
        view = self.view(challenge, slug)
        title = f"{CHALLENGE_TITLES[challenge]}: {view.board} ({view.stage} board)"
        body = f'<p class="notice">{html.escape(view.notice)}</p>' if view.notice else ""
        if view.hidden:
            self.page(title, body)
            return
        csv_url = self.url(f"board/{challenge}/{board_slug(view.board)}.csv", stage=view.stage)
        body += f'<p><a href="{csv_url}" download="{view.filename}">download this table as CSV</a></p>'
        body += table_html(view)
        body += png_img(self._distribution(view), "score distribution")
        body += self._progress(challenge, view)
        self.page(title, body)

    def _distribution(self, view: BoardView) -> bytes:
        """The distribution plot, drawn again only when the board's numbers changed."""
        cache = self.settings["leaderboard_plot_cache"]
        ranked = view.ranked
        highlight = None if view.viewer.instructor else view.viewer.name
        key = (view.challenge, view.board, view.stage, highlight,
               tuple(zip(ranked["score"], ranked["is_reference"], ranked["reference_label"].fillna(""))))
        if key not in cache:
            if len(cache) >= 256:
                cache.clear()
            cache[key] = score_distribution_png(ranked, view.challenge, view.board, stage=view.stage,
                                                highlight=highlight)
        return cache[key]

    def _progress(self, challenge: str, view: BoardView) -> str:
        student = self.viewer.name
        if self.viewer.instructor:
            student = self.get_argument("student", None)
            names = sorted({name for name in view.ranked.get("student", []) if isinstance(name, str)})
            options = "".join(
                f'<option value="{html.escape(n)}"{" selected" if n == student else ""}>{html.escape(n)}</option>'
                for n in names
            )
            chooser = (f'<form method="get"><input type="hidden" name="stage" value="{view.stage}">'
                       f'progress of <select name="student">{options}</select> <button>show</button></form>')
            if not student:
                return chooser
        else:
            chooser = ""
        runs = student_runs(self.store, challenge, student)
        title = f"progress of {student if self.viewer.instructor else 'your entries'} (public scores)"
        return chooser + png_img(progress_png(runs, challenge, title), "progress over time")


class BoardCSVHandler(BoardHandler):
    @web.authenticated
    def get(self, challenge: str, slug: str):
        view = self.view(challenge, slug)
        if view.hidden:
            raise web.HTTPError(403, view.notice)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{view.filename}"')
        self.finish(view.csv())


class EntriesHandler(BaseHandler):
    @web.authenticated
    def get(self, challenge: str):
        if challenge not in CHALLENGES:
            raise web.HTTPError(404, f"no challenge {challenge}")
        viewer = self.viewer
        student = self.get_argument("student", viewer.name) if viewer.instructor else viewer.name
        runs = student_runs(self.store, challenge, student)
        revealed = seed_info(self.store, challenge).final_revealed
        rows = []
        for run in runs.itertuples(index=False):
            if run.status != "done":
                verdict = run.status
            elif run.accepted:
                verdict = f"{run.score:.5g}" + (f" ± {run.score_stderr:.2g}" if pd.notna(run.score_stderr) else "")
            else:
                verdict = "rejected"
            rows.append(
                f"<tr><td>{run.entry_id}</td><td>{run.received_at:%Y-%m-%d %H:%M} UTC</td><td>{html.escape(verdict)}</td>"
                f"<td>{html.escape(run.boards or '')}</td><td>{html.escape(run.message or '')}</td></tr>"
            )
        table = ('<table class="board"><thead><tr><th>entry</th><th>received</th><th>score</th><th>boards</th>'
                 f'<th>message</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
        replay = ""
        if revealed:
            info = seed_info(self.store, challenge)
            size = (f"--episodes {self.store.scoring_size('maze_episodes')}" if challenge == "maze"
                    else f"--runs {self.store.scoring_size('autoencoder_runs')}")
            replay = (
                f"<p>The seeds are revealed: public seed <code>{info.public_seed}</code>, final seed "
                f"<code>{info.final_seed}</code>. Replay the platform's run of an entry on your own machine with "
                f"<code>course challenge score {challenge} ENTRY_DIR --seed SEED {size}</code>.</p>"
            )
        title = f"{CHALLENGE_TITLES[challenge]}: entries of {student if viewer.instructor else 'yours'}"
        plot = png_img(progress_png(runs, challenge, "progress (public scores)"), "progress over time")
        self.page(title, table + replay + plot + arrivals_html(arrivals_of(self.store, challenge, student)))


def arrivals_html(arrivals: pd.DataFrame) -> str:
    """Every submission the hub handed over, with what the student was told (refusals included)."""
    if arrivals.empty:
        return ""
    rows = "".join(
        f'<tr class="arrival"><td>{a.received_at:%Y-%m-%d %H:%M:%S} UTC</td><td>{html.escape(a.status)}</td>'
        f"<td>{'' if pd.isna(a.entry_id) else int(a.entry_id)}</td><td>{html.escape(a.message)}</td></tr>"
        for a in arrivals.itertuples(index=False)
    )
    return ('<h2>Submissions received through the hub</h2><table class="board arrivals"><thead><tr><th>received</th>'
            f"<th>on arrival</th><th>entry</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>")


class IntakeHandler(BaseHandler):
    """The exchange hands over a challenge submission (JSON; files base64) with its hub service token."""

    def check_xsrf_cookie(self):  # a token in the Authorization header, never a browser's cookie
        pass

    async def token_owner(self) -> dict | None:
        match = re.match(r"(?:token|bearer)\s+(\S+)$", self.request.headers.get("Authorization", ""), re.IGNORECASE)
        if not match:
            return None
        injected = self.settings.get("leaderboard_token_owner")
        if injected is not None:
            return injected(match.group(1))
        return await self.hub_auth.user_for_token(match.group(1), use_cache=False, sync=False)

    async def post(self):
        owner = await self.token_owner()
        if not owner or owner.get("kind") != "service" or owner.get("name") not in INTAKE_SERVICES:
            raise web.HTTPError(403, "only the course exchange hands over challenge submissions")
        try:
            body = json.loads(self.request.body)
            received_at = datetime.fromisoformat(body["received_at"])
            files = {str(name): base64.b64decode(data, validate=True) for name, data in body["files"].items()}
            args = (str(body["student"]), str(body["challenge"]), str(body["submission_id"]), received_at, files)
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
            raise web.HTTPError(400, f"malformed hand-over: {error}") from None
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(None, receive_submission, self.store, *args)
        except ValueError as error:
            raise web.HTTPError(400, str(error)) from None
        log.info("submission %s of %s (%s): %s", args[2], args[0], args[1], outcome.status)
        if outcome.entry_id is not None and not outcome.repeated:
            if preempt_reference_run():
                log.info("stopped scoring a reference entry for it: the reference is scored again later")
            self.settings["leaderboard_kick"]()
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(outcome.to_dict()))


class PseudonymHandler(BaseHandler):
    @web.authenticated
    def post(self):
        try:
            taken = [*self.settings["leaderboard_user_names"](), self.store.config.course_id]  # the hub's, now
            chosen = set_pseudonym(self.store, self.viewer.name, self.get_argument("pseudonym"), taken)
        except (PseudonymError, HubUnavailable) as error:
            self.set_status(400 if isinstance(error, PseudonymError) else 503)
            self.page("Pseudonym not changed", f'<p class="error">{html.escape(str(error))}</p>')
            return
        self.page("Pseudonym changed", f"<p>You now appear as <b>{html.escape(chosen)}</b>.</p>")


class FinalHandler(BaseHandler):
    @web.authenticated
    def post(self, challenge: str, action: str):
        self.require_instructor()
        if challenge not in CHALLENGES:
            raise web.HTTPError(404, f"no challenge {challenge}")
        try:
            if action == "start":
                started = start_final_scoring(self.store, challenge)
                self.settings["leaderboard_kick"]()
                message = f"froze {started.selections} best entries and queued {started.queued_runs} final runs"
            else:
                reveal_final(self.store, challenge)
                message = "the final board and the seeds are now visible to students"
        except ValueError as error:
            raise web.HTTPError(409, str(error)) from None
        self.page(f"{CHALLENGE_TITLES[challenge]}: final board", f"<p>{html.escape(message)}</p>")


class SettingsHandler(BaseHandler):
    @web.authenticated
    def post(self):
        self.require_instructor()
        try:
            if self.get_argument("daily_cap", ""):
                self.store.set_daily_cap(int(self.get_argument("daily_cap")))
            for name in ("autoencoder_runs", "maze_episodes"):
                if self.get_argument(name, ""):
                    self.store.set_scoring_size(name, int(self.get_argument(name)))
        except ValueError as error:
            raise web.HTTPError(400, str(error)) from None
        self.page("Settings saved",
                  f"<p>Daily cap: {self.store.daily_cap()} scored submissions per student. Autoencoder runs K = "
                  f"{self.store.scoring_size('autoencoder_runs')}, maze episodes N = "
                  f"{self.store.scoring_size('maze_episodes')}.</p>")


def make_app(
    store: Store,
    *,
    prefix: str = "/",
    current_user: CurrentUser | None = None,
    cookie_secret: bytes | None = None,
    kick_worker: Callable[[], None] | None = None,
    token_owner: TokenOwner | None = None,
    user_names: Callable[[], "list[str]"] | None = None,
) -> web.Application:
    """The leaderboard application; `current_user` replaces the hub login, `token_owner` the hub's
    answer to "whose token is this?" and `user_names` its list of user names (tests, previews)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    routes = [
        (prefix, IndexHandler),
        (prefix + r"board/([a-z]+)/([a-z0-9-]+)\.csv", BoardCSVHandler),
        (prefix + r"board/([a-z]+)/([a-z0-9-]+)", BoardHandler),
        (prefix + r"entries/([a-z]+)", EntriesHandler),
        (prefix + r"pseudonym", PseudonymHandler),
        (prefix + r"final/([a-z]+)/(start|reveal)", FinalHandler),
        (prefix + r"settings", SettingsHandler),
        (prefix + r"api/intake", IntakeHandler),
        (prefix + r"oauth_callback", HubOAuthCallbackHandler),
    ]
    return web.Application(
        routes,
        cookie_secret=cookie_secret or secrets.token_bytes(32),
        xsrf_cookies=True,
        leaderboard_store=store,
        leaderboard_prefix=prefix,
        leaderboard_current_user=current_user,
        leaderboard_kick=kick_worker or (lambda: None),
        leaderboard_token_owner=token_owner,
        leaderboard_user_names=user_names or (hub_user_names if current_user is None else list),
        leaderboard_plot_cache={},
    )


def main() -> None:
    """Run as the hub's ``leaderboard`` service, with a periodic scoring worker.

    The hub stops it with SIGINT (then SIGTERM): a scoring in progress is killed and its run,
    left ``running``, is queued again when the service starts next.
    """
    from course_lib.leaderboard.scoring import stop_all_children

    logging.basicConfig(level=logging.INFO, format="[%(levelname)s %(asctime)s %(name)s] %(message)s")
    try:
        asyncio.run(serve())
        log.info("stopping")
    finally:
        stop_all_children()
        logging.shutdown()
        os._exit(0)  # without waiting for the scoring thread, whose child is gone


async def serve() -> None:
    from tornado.ioloop import PeriodicCallback

    from course_lib.leaderboard.references import register_reference_entries
    from course_lib.leaderboard.store import default_store
    from course_lib.leaderboard.worker import requeue_stale_runs, run_once

    store = default_store()
    # One leaderboard service scores for the course: what a previous one left running is queued again.
    requeued = requeue_stale_runs(store, older_than=timedelta(0))
    if requeued:
        log.info("queued %d runs again that the previous start left unfinished", requeued)
    if store.config.reference_rows:
        register_reference_entries(store)
    else:
        log.info("reference rows are off (COURSE_LEADERBOARD_REFERENCE_ROWS=0): no reference entry is scored")
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaderboard-worker")
    pending = []

    def score_queue() -> None:
        try:
            while done := run_once(store, limit=1):  # one at a time, so that each result is logged when it is in
                summary = done[0]
                log.info("scored run %s of entry %s (%s, %s): %s", summary.run_id, summary.entry_id,
                         summary.challenge, summary.stage, summary.score if summary.accepted else summary.rejection_reason)
        except Exception:  # the next pass tries again
            log.exception("the scoring pass failed")

    def kick() -> None:  # one scoring pass at a time (a pass drains the queue); extra kicks are dropped
        if not pending or pending[-1].done():
            pending[:] = [executor.submit(score_queue)]

    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/leaderboard/")
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10103"))
    app = make_app(store, prefix=prefix, kick_worker=kick)
    from ..hub.hubconfig import service_address
    app.listen(*service_address(url))
    log.info("leaderboard of %s at %s%s", store.config.course_id, url.geturl(), prefix)
    interval = float(os.environ.get("COURSE_LEADERBOARD_WORKER_INTERVAL", "30"))
    if interval > 0:
        PeriodicCallback(kick, interval * 1000).start()
        kick()
    stopping = asyncio.Event()
    for stop in (signal.SIGINT, signal.SIGTERM):  # even where the starting shell ignored SIGINT
        asyncio.get_running_loop().add_signal_handler(stop, stopping.set)
    await stopping.wait()


if __name__ == "__main__":
    main()
