"""Hand challenge submissions from the course exchange to the leaderboard, as they arrive.

When a submission of a challenge assignment has been stored (and stamped with the platform's
receipt time), `hand_over` posts its entry files to the leaderboard service's ``api/intake``
with the exchange's own hub token. The leaderboard applies the daily cap, queues the entry and
scores it within minutes; what the student is told appears on its "my entries" page.

The submission itself is already safe in the exchange: the hand-over runs in the background and
never delays or fails the submit. If the leaderboard cannot be reached it is tried again a few
times; the exchange's submission id makes a repeated hand-over harmless.

Settings (the hub's configuration sets them for the exchange service):
``COURSE_LEADERBOARD_URL``     the leaderboard service, e.g. http://127.0.0.1:8103/services/leaderboard
``JUPYTERHUB_API_TOKEN``       the exchange's hub token, which the leaderboard checks with the hub
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os

from tornado import httpclient

from course_lib.leaderboard.config import CHALLENGE_ASSIGNMENTS
from course_lib.leaderboard.submissions import ENTRY_FILES

log = logging.getLogger("course.exchange.challenges")
RETRY_DELAYS = (0, 5, 20, 60, 180)  # seconds before each attempt
_pending: set[asyncio.Task] = set()  # keeps running hand-overs referenced until they end


def entry_files(challenge: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The challenge's entry files in a submission (top level of the assignment folder)."""
    return {name: files[name] for name in ENTRY_FILES[challenge] if name in files}


def hand_over(receipt: dict, files: dict[str, bytes]) -> asyncio.Task | None:
    """Start handing the submission over if its assignment is a challenge; returns the task."""
    challenge = CHALLENGE_ASSIGNMENTS.get(receipt["assignment_id"])
    url = os.environ.get("COURSE_LEADERBOARD_URL")
    if challenge is None or not url:
        if challenge is not None:
            log.warning("%s is a challenge but COURSE_LEADERBOARD_URL is not set: not handed over", receipt["assignment_id"])
        return None
    body = json.dumps({
        "student": receipt["student_id"], "challenge": challenge, "submission_id": receipt["submission_id"],
        "received_at": receipt["received_at"],
        "files": {name: base64.b64encode(data).decode() for name, data in entry_files(challenge, files).items()},
    })
    task = asyncio.ensure_future(_post(url.rstrip("/") + "/api/intake", body, receipt))
    _pending.add(task)
    task.add_done_callback(_pending.discard)
    return task


async def _post(url: str, body: str, receipt: dict) -> dict | None:
    token = os.environ.get("JUPYTERHUB_API_TOKEN", "")
    client = httpclient.AsyncHTTPClient()
    what = f"{receipt['assignment_id']} of {receipt['student_id']} ({receipt['submission_id']})"
    for attempt, delay in enumerate(RETRY_DELAYS, 1):
        await asyncio.sleep(delay)
        request = httpclient.HTTPRequest(url, method="POST", body=body, request_timeout=60,
                                         headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        try:
            response = await client.fetch(request, raise_error=False)
        except OSError as error:
            log.warning("leaderboard unreachable for %s (attempt %d): %s", what, attempt, error)
            continue
        if response.code == 200:
            outcome = json.loads(response.body)
            log.info("handed %s to the leaderboard: %s", what, outcome["status"])
            return outcome
        log.error("the leaderboard refused %s: HTTP %s %s", what, response.code, response.body[:300])
        if response.code < 500:
            return None  # a request the leaderboard will never accept: trying again does not help
    log.error("gave up handing %s to the leaderboard after %d attempts", what, len(RETRY_DELAYS))
    return None
