"""The grading worker started beside the hub (docker-compose's grader) waits for the token file the hub
writes at its start, instead of failing on a file that is not there yet."""

from __future__ import annotations

import threading
import time

import pytest

from course_lib.hub.worker import wait_for_token


def test_the_worker_waits_for_the_hubs_token(tmp_path):
    token = tmp_path / "grader-token" / "formgrader.token"
    writer = threading.Timer(3, lambda: (token.parent.mkdir(), token.write_text("abc123\n")))
    writer.start()
    started = time.monotonic()
    assert wait_for_token(token, timeout=60) == "abc123"
    assert time.monotonic() - started >= 2.5
    writer.join()


def test_an_empty_file_is_not_a_token(tmp_path):
    token = tmp_path / "formgrader.token"
    token.write_text("")
    with pytest.raises(SystemExit, match="no token in .*formgrader.token after 1 s"):
        wait_for_token(token, timeout=1)
