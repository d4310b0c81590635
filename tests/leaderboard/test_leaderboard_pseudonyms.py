"""Pseudonyms cannot impersonate: no hub user name (students' or instructors', in any case, in any
Unicode spelling), no platform name, no other student's pseudonym."""

from __future__ import annotations

import re
import tempfile
from urllib.parse import urlencode

import pytest
from tornado.testing import AsyncHTTPTestCase

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.hub_users import HubUnavailable
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.web import make_app
from course_lib.leaderboard.pseudonyms import RESERVED, PseudonymError, pseudonym_of, register_student, set_pseudonym

HUB_USERS = ["ada", "cleo", "instructor", "Dr.Hopper", "load01", "fiona", "ixada"]  # as the hub lists them when a name is chosen


@pytest.fixture
def students(store):
    register_student(store, "ben", real_name="Ben Example")
    register_student(store, "dora", real_name="Dora Sample")
    set_pseudonym(store, "dora", "Gradient Surfer", HUB_USERS)
    return store


@pytest.mark.parametrize("name", [
    "ada", "ADA", "Ada", "aDa", "cleo", "CLEO", "instructor", "INSTRUCTOR", "Instructor", "load01", "LOAD01",
    "dr.hopper", "DR HOPPER", "Dr-Hopper", "drhopper",  # separators do not make another name
    "ＡＤＡ", "ａｄａ", "Ｉｎｓｔｒｕｃｔｏｒ", "ｃｌｅｏ",  # fullwidth forms: NFKC makes them ASCII
    "a\u200bda", "ad\u200da", "\u2060cleo", "ada\ufeff", "\u200einstructor",  # zero-width and direction marks
    "\ufb01ona", "\u2168ada",  # a ligature (fi) and a compatibility numeral (IX) that NFKC spells out
])
def test_no_hub_user_name_in_any_case_or_spelling(students, name):
    with pytest.raises(PseudonymError, match="taken|platform's own names"):
        set_pseudonym(students, "ben", name, HUB_USERS)
    assert pseudonym_of(students, "ben") != name


def test_a_user_added_to_the_hub_later_is_checked_when_the_name_is_chosen(students):
    assert set_pseudonym(students, "ben", "Fermi Fan", HUB_USERS) == "Fermi Fan"
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(students, "ben", "newcomer", [*HUB_USERS, "NewComer"])


@pytest.mark.parametrize("name", ["Gradient Surfer", "gradient surfer", "GRADIENT  SURFER", "Gradient_Surfer",
                                  "Ｇｒａｄｉｅｎｔ Ｓｕｒｆｅｒ", "Gradient\u200b Surfer", "gradient-surfer"])
def test_no_other_students_pseudonym(students, name):
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(students, "ben", name, HUB_USERS)


@pytest.mark.parametrize("name", [*RESERVED, "Admin", "ROOT", "Leader Board", "Reference", "reference PCA", "ｒｏｏｔ"])
def test_no_platform_name(students, name):
    with pytest.raises(PseudonymError, match="platform's own names|characters"):
        set_pseudonym(students, "ben", name, HUB_USERS)


def test_real_names_and_own_choice(students):
    with pytest.raises(PseudonymError, match="taken"):
        set_pseudonym(students, "ben", "dora sample", HUB_USERS)
    assert set_pseudonym(students, "dora", "gradient surfer", HUB_USERS) == "gradient surfer"  # her own, recased
    assert set_pseudonym(students, "ben", "Ａｄａｍ Ｓｍｉｔｈ", HUB_USERS) == "Adam Smith"  # stored as NFKC


def test_a_name_that_only_looks_like_ascii_is_refused_as_such(students):
    with pytest.raises(PseudonymError, match="characters"):
        set_pseudonym(students, "ben", "аda", HUB_USERS)  # Cyrillic a: not a permitted character


class PseudonymPageTest(AsyncHTTPTestCase):
    """The page asks for the hub's user names when a pseudonym is chosen, and refuses if it cannot."""

    PREFIX = "/services/leaderboard/"

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.store = Store(LeaderboardConfig.for_directory(self._tmp.name, course_id="mlphys"))
        self.hub_users = ["ben", "ada", "Instructor"]
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.store.dispose()
        self._tmp.cleanup()

    def get_app(self):
        def names():
            if self.hub_users is None:
                raise HubUnavailable("the hub cannot be reached: test")
            return list(self.hub_users)

        return make_app(self.store, prefix=self.PREFIX, user_names=names,
                        current_user=lambda handler: {"name": handler.request.headers["X-Test-User"], "groups": []})

    def choose(self, user: str, pseudonym: str):
        page = self.fetch(self.PREFIX, headers={"X-Test-User": user})
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.body.decode()).group(1)
        return self.fetch(self.PREFIX + "pseudonym", method="POST", body=urlencode({"_xsrf": token, "pseudonym": pseudonym}),
                          headers={"X-Test-User": user, "Cookie": page.headers["Set-Cookie"].split(";")[0]})

    def test_hub_user_names_and_the_course_are_refused_at_choice_time(self):
        for name in ("ADA", "ａｄａ", "a\u200bda", "instructor", "MLPHYS"):
            answer = self.choose("ben", name)
            assert answer.code == 400 and "choose another one" in answer.body.decode(), name
        self.hub_users.append("Newcomer")  # added to the hub after the page was loaded
        assert self.choose("ben", "newcomer").code == 400
        assert self.choose("ben", "Fermi Fan").code == 200 and pseudonym_of(self.store, "ben") == "Fermi Fan"

    def test_without_the_hubs_list_no_pseudonym_is_chosen(self):
        self.hub_users = None
        answer = self.choose("ben", "Fermi Fan")
        assert answer.code == 503 and "cannot be reached" in answer.body.decode()
        assert pseudonym_of(self.store, "ben") != "Fermi Fan"
