"""Student strings on the leaderboard's pages stay text in a real browser (Chromium via Playwright).

A pseudonym, a real name and a scorer message carrying script payloads are put straight into
the database, past every check that would refuse them on the way in: the pages must still show
them as text, run none of them, and carry a Content-Security-Policy that allows no script.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from pathlib import Path

import pytest
from tornado.httpserver import HTTPServer

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.schema import ScoredRun, Student
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import submit_entry
from course_lib.leaderboard.web import make_app
from course_lib.leaderboard.worker import store_record

from .conftest import entry_folder, hand_record

CHROMIUM = "/usr/bin/chromium"
MARK = "console.log('XSS-MARKER');document.title='PWNED';window.pwned=1"
PAYLOAD = f'<img src=x onerror="{MARK}"><script>{MARK}</script><svg onload="{MARK}"></svg>'
USERS = {
    "ann": {"name": "ann", "admin": False, "groups": ["nbgrader-mlphys"]},
    "teacher": {"name": "teacher", "admin": False, "groups": ["formgrade-mlphys"]},
}
PREFIX = "/services/leaderboard/"


@pytest.fixture
def board_server(tmp_path):
    store = Store(LeaderboardConfig.for_directory(tmp_path / "state", course_id="mlphys"))
    for student in ("ann", "bob"):
        outcome = submit_entry(store, student, "maze", entry_folder(tmp_path / "in", "maze"), real_name=f"Real{PAYLOAD}")
        record = hand_record("maze", 3.0, 0.1) | {"message": f"scored {PAYLOAD}"}
        store_record(store, outcome.run_id, record, exit_status=0)
    with store.session() as session:  # as if a pseudonym had slipped past the checks
        session.get(Student, "bob").pseudonym = f"bob{PAYLOAD}"
        for run in session.query(ScoredRun):
            run.message = f"scored {PAYLOAD}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        app = make_app(store, prefix=PREFIX,
                       current_user=lambda handler: USERS.get(handler.request.headers.get("X-Test-User", "")))
        HTTPServer(app).listen(port, "127.0.0.1")
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{port}{PREFIX}"
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    store.dispose()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (`make test` installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.mark.parametrize("user, path, shown", [
    ("ann", "board/maze/maze", "bob<img"),  # another student's pseudonym on the public board
    ("ann", "entries/maze", "scored <img"),  # the scorer's message on the student's own entries
    ("teacher", "board/maze/maze", "Real<img"),  # real names on the instructor's board
    ("teacher", "", "Leaderboards"),
])
def test_student_strings_stay_text(board_server, browser, user, path, shown):
    context = browser.new_context(extra_http_headers={"X-Test-User": user})
    context.add_init_script("window.__untouched = 'yes';")
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(board_server + path)
    assert response.status == 200
    page.wait_for_timeout(1000)
    served = re.search(r"<title>(.*?)</title>", response.text()).group(1)
    assert page.title() == served != "PWNED"
    assert page.evaluate("window.pwned") is None and page.evaluate("window.__untouched") == "yes"
    assert not [m for m in messages if "XSS-MARKER" in m], messages
    assert shown in page.inner_text("body"), "the student's string is not on the page at all"
    assert not page.locator("img[onerror], svg[onload], script:not([src])").count()
    policy = response.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "default-src 'none'" in policy
    context.close()
