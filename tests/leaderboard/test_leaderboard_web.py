"""The board page over HTTP on a local port, with an injected hub user instead of a running hub."""

import io
import re
import tempfile
from pathlib import Path
from html.parser import HTMLParser
from urllib.parse import urlencode

import pandas as pd
from tornado.testing import AsyncHTTPTestCase

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.final import start_final_scoring
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.submissions import submit_entry
from course_lib.leaderboard.web import is_instructor, make_app
from course_lib.leaderboard.worker import store_record

from .conftest import Clock, entry_folder, hand_record

USERS = {
    "ann": {"name": "ann", "admin": False, "groups": ["nbgrader-mlphys"]},
    "bob": {"name": "bob", "admin": False, "groups": ["nbgrader-mlphys"]},
    "teacher": {"name": "teacher", "admin": False, "groups": ["formgrade-mlphys"]},
}
PREFIX = "/services/leaderboard/"


class TableParser(HTMLParser):
    """The text of every cell of the page's board table, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_board = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "board") in attrs:
            self._in_board = True
        elif self._in_board and tag == "tr":
            self._row = []
        elif self._in_board and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_board = False
        elif self._in_board and tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif self._in_board and tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def page_table(body: str) -> list[list[str]]:
    parser = TableParser()
    parser.feed(body)
    return parser.rows


def test_instructors_are_admins_or_formgraders():
    assert is_instructor(USERS["teacher"], "mlphys") and is_instructor({"name": "x", "admin": True}, "mlphys")
    assert not is_instructor(USERS["ann"], "mlphys") and not is_instructor(USERS["teacher"], "other")


class LeaderboardPageTest(AsyncHTTPTestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.clock = Clock()
        self.store = Store(LeaderboardConfig.for_directory(self._tmp.name, course_id="mlphys"), clock=self.clock)
        base = Path(self._tmp.name) / "in"
        for student, real, score in (("ann", "Ann Example", 5.0), ("bob", "Bob Sample", 2.0)):
            self.clock.advance(minutes=5)
            outcome = submit_entry(self.store, student, "maze", entry_folder(base, "maze"), real_name=real)
            store_record(self.store, outcome.run_id, hand_record("maze", score, 0.1), exit_status=0)
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.store.dispose()
        self._tmp.cleanup()

    def get_app(self):
        return make_app(
            self.store, prefix=PREFIX,
            current_user=lambda handler: USERS.get(handler.request.headers.get("X-Test-User", "")),
        )

    def get(self, path, user, **kwargs):
        return self.fetch(PREFIX + path, headers={"X-Test-User": user} if user else {}, **kwargs)

    def post(self, path, user, **fields):
        page = self.get("", user)
        cookie = page.headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.body.decode()).group(1)
        return self.fetch(PREFIX + path, method="POST", body=urlencode({"_xsrf": token, **fields}),
                          headers={"X-Test-User": user, "Cookie": cookie})

    def test_student_page_shows_pseudonyms_plots_and_a_csv_equal_to_the_table(self):
        page = self.get("board/maze/maze", "ann")
        assert page.code == 200
        body = page.body.decode()
        assert "Ann Example" not in body and "Bob Sample" not in body
        assert body.count('src="data:image/png;base64,') == 2  # distribution and progress
        rows = page_table(body)
        assert rows[0] == ["rank", "name", "score", "± (stderr)", "submitted (UTC)", "note"]
        assert [row[0] for row in rows[1:]] == ["1", "2"] and rows[1][-1] == "you"

        csv = self.get("board/maze/maze.csv", "ann")
        assert csv.code == 200 and csv.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in csv.headers["Content-Disposition"]
        exported = pd.read_csv(io.StringIO(csv.body.decode()), dtype=str, keep_default_na=False)
        assert [list(exported.columns)] + exported.values.tolist() == rows

    def test_instructor_page_shows_real_names_and_the_same_csv(self):
        body = self.get("board/maze/maze?student=bob", "teacher").body.decode()
        rows = page_table(body)
        assert [row[1] for row in rows[1:]] == ["Ann Example", "Bob Sample"]
        assert "hub user" in rows[0] and "entry" in rows[0]
        csv = self.get("board/maze/maze.csv", "teacher").body.decode()
        exported = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
        assert [list(exported.columns)] + exported.values.tolist() == rows
        assert "progress of bob" in body or body.count("data:image/png") == 2

    def test_final_board_hidden_for_students_until_the_instructor_reveals_it(self):
        start_final_scoring(self.store, "maze")
        page = self.get("board/maze/maze?stage=final", "ann").body.decode()
        assert "hidden until the instructor reveals it" in page and page_table(page) == []
        assert self.get("board/maze/maze.csv?stage=final", "ann").code == 403
        assert self.post("final/maze/reveal", "ann").code == 403  # students cannot reveal
        assert self.get("board/maze/maze?stage=final", "teacher").code == 200  # instructors preview
        assert self.post("final/maze/reveal", "teacher").code == 200
        page = self.get("board/maze/maze?stage=final", "ann").body.decode()
        assert "hidden" not in page and page_table(page)[0][0] == "rank"

    def test_student_chooses_a_pseudonym_with_an_xsrf_protected_form(self):
        assert self.post("pseudonym", "ann", pseudonym="Gradient Surfer").code == 200
        assert "Gradient Surfer" in self.get("board/maze/maze", "bob").body.decode()
        assert self.post("pseudonym", "bob", pseudonym="gradient surfer").code == 400  # taken
        forged = self.fetch(PREFIX + "pseudonym", method="POST", body="pseudonym=Evil",
                            headers={"X-Test-User": "bob"})
        assert forged.code == 403  # no XSRF token

    def test_index_entries_settings_and_access(self):
        index = self.get("", "ann").body.decode()
        assert "Scored submissions today: 1 of 5" in index and "final" not in re.sub(r"<form.*?</form>", "", index)
        entries = self.get("entries/maze", "ann").body.decode()
        assert "scored" in entries and "data:image/png" in entries
        assert self.get("", None).code == 403  # not logged in
        assert self.get("board/maze/nope", "ann").code == 404
        assert self.get("board/chess/maze", "ann").code == 404
        assert self.post("settings", "ann", daily_cap="50").code == 403
        assert self.post("settings", "teacher", daily_cap="2").code == 200
        assert self.store.daily_cap() == 2
