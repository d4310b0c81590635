"""The exchange's hand-over of challenge submissions: `api/intake`, arrivals, and the instructor's sizes."""

import base64
import json
import re
import tempfile
from datetime import timedelta

from sqlalchemy import select
from tornado.testing import AsyncHTTPTestCase

from course_lib.leaderboard.config import LeaderboardConfig
from course_lib.leaderboard.schema import Entry, ScoredRun
from course_lib.leaderboard.store import Store
from course_lib.leaderboard.web import make_app

from .conftest import Clock
from .test_leaderboard_web import PREFIX, USERS

TOKENS = {"exchange-token": {"kind": "service", "name": "exchange"},
          "formgrader-token": {"kind": "service", "name": "mlphys"},
          "ann-token": {"kind": "user", "name": "ann"}}
AUTOENCODER_FILES = {"autoencoder.keras": b"model", "autoencoder.json": b'{"batchsize": 30, "training": "LONG"}'}


class IntakeTest(AsyncHTTPTestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.clock = Clock()
        self.store = Store(LeaderboardConfig.for_directory(self._tmp.name, course_id="mlphys", daily_cap=2), clock=self.clock)
        self.kicks = 0
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.store.dispose()
        self._tmp.cleanup()

    def get_app(self):
        def kick():
            self.kicks += 1

        return make_app(self.store, prefix=PREFIX, kick_worker=kick, token_owner=TOKENS.get,
                        current_user=lambda handler: USERS.get(handler.request.headers.get("X-Test-User", "")))

    def hand_over(self, submission_id, files=AUTOENCODER_FILES, token="exchange-token", student="ann",
                  challenge="autoencoder", minutes=0):
        body = {"student": student, "challenge": challenge, "submission_id": submission_id,
                "received_at": (self.clock.now + timedelta(minutes=minutes)).isoformat(),
                "files": {name: base64.b64encode(data).decode() for name, data in files.items()}}
        return self.fetch(PREFIX + "api/intake", method="POST", body=json.dumps(body),
                          headers={"Authorization": f"token {token}"})

    def test_only_the_exchange_may_hand_over(self):
        for token in ("formgrader-token", "ann-token", "unknown"):
            assert self.hand_over("s1", token=token).code == 403
        assert self.fetch(PREFIX + "api/intake", method="POST", body="{}").code == 403
        with self.store.session() as session:
            assert session.scalars(select(Entry)).all() == []

    def test_a_submission_is_queued_once_and_the_answer_is_shown_to_its_student(self):
        first = self.hand_over("s1")
        assert first.code == 200, first.body
        outcome = json.loads(first.body)
        assert outcome["status"] == "queued" and not outcome["repeated"] and self.kicks == 1
        again = json.loads(self.hand_over("s1").body)  # a retry after a lost answer
        assert again["repeated"] and again["entry_id"] == outcome["entry_id"] and self.kicks == 1
        with self.store.session() as session:
            entry = session.scalars(select(Entry)).one()
            assert (entry.student_name, entry.training, entry.received_at) == ("ann", "LONG", self.clock.now)
        page = self.fetch(PREFIX + "entries/autoencoder", headers={"X-Test-User": "ann"}).body.decode()
        assert "Submissions received through the hub" in page and "queued for scoring (1 of 2" in page
        other = self.fetch(PREFIX + "entries/autoencoder", headers={"X-Test-User": "bob"}).body.decode()
        assert "Submissions received" not in other

    def test_refusals_reach_the_student_too(self):
        broken = json.loads(self.hand_over("s1", files={"autoencoder.keras": b"model"}).body)
        assert broken["status"] == "refused: invalid entry" and "autoencoder.json is missing" in broken["message"]
        assert self.kicks == 0
        for number in (2, 3):
            assert json.loads(self.hand_over(f"s{number}", minutes=number).body)["status"] == "queued"
        capped = json.loads(self.hand_over("s4", minutes=4).body)
        assert capped["status"] == "refused: daily cap reached" and "2 of 2" in capped["message"]
        page = self.fetch(PREFIX + "entries/autoencoder", headers={"X-Test-User": "ann"}).body.decode()
        assert page.count('<tr class="arrival">') == 4
        assert "autoencoder.json is missing" in page and "daily cap reached" in page

    def test_malformed_hand_overs_are_refused_with_a_reason(self):
        response = self.fetch(PREFIX + "api/intake", method="POST", body="not json",
                              headers={"Authorization": "token exchange-token"})
        assert response.code == 400 and b"malformed" in response.body
        naive = {"student": "ann", "challenge": "maze", "submission_id": "x", "received_at": "2026-05-04T09:00:00",
                 "files": {}}
        response = self.fetch(PREFIX + "api/intake", method="POST", body=json.dumps(naive),
                              headers={"Authorization": "token exchange-token"})
        assert response.code == 400 and b"timezone" in response.body

    def test_instructor_sets_scoring_sizes_for_new_entries(self):
        page = self.fetch(PREFIX, headers={"X-Test-User": "teacher"})
        cookie = page.headers["Set-Cookie"].split(";")[0]
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.body.decode()).group(1)
        assert 'name="maze_episodes"' in page.body.decode() and 'value="1000"' in page.body.decode()

        def post(user, **fields):
            from urllib.parse import urlencode

            return self.fetch(PREFIX + "settings", method="POST", body=urlencode({"_xsrf": xsrf, **fields}),
                              headers={"X-Test-User": user, "Cookie": cookie})

        assert post("ann", maze_episodes="5").code == 403
        assert post("teacher", maze_episodes="0").code == 400
        assert post("teacher", autoencoder_runs="1", maze_episodes="100").code == 200
        assert self.store.daily_cap() == 2, "fields left out are left alone"
        self.hand_over("m1", files={"maze_policy.keras": b"model"}, challenge="maze")
        self.hand_over("a1", minutes=1)
        with self.store.session() as session:
            runs = {run.entry.challenge: (run.episodes, run.runs) for run in session.scalars(select(ScoredRun))}
        assert runs == {"maze": (100, None), "autoencoder": (None, 1)}
