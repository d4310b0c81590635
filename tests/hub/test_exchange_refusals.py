"""Every upload the exchange refuses: a 4xx whose message names the problem and the limit, and
nothing of it left in the storage folder (no ``.incoming-*``, no new folders).

The exchange runs with small limits here (1 MB of files, 50 entries) so that the hostile archives
stay small; the limits are the same code path as the course's defaults.
"""

from __future__ import annotations

import gzip
import http.client
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import requests

from course_lib.hub.archive import MAX_DEPTH, MAX_NAME_BYTES, MAX_PATH_BYTES, pack_files
from course_lib.hub.exchange_service import Identity

from .exchange_fixture import ExchangeServer

COURSE = "mlphys"
LIMITS = dict(max_bytes=1_000_000, max_files=50, quota_bytes=3_000_000, max_submissions=3)
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def tokens():
    return {"t-ada": Identity("ada", "user", frozenset({"nbgrader-mlphys"}), created="2026-01-01T00:00:00Z"),
            "t-teacher": Identity("teacher", "user", frozenset({"formgrade-mlphys"}))}


@pytest.fixture
def exchange(tmp_path):
    server = ExchangeServer(tmp_path / "storage", tokens(), **LIMITS)
    for assignment in ("lecture01", "lecture02"):
        response = requests.put(f"{server.url}/api/courses/{COURSE}/assignments/{assignment}", timeout=30,
                                headers={"Authorization": "token t-teacher"}, data=pack_files({f"{assignment}.ipynb": NOTEBOOK}))
        assert response.status_code == 200, response.text
    yield server
    server.stop()


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def post(server, body: bytes, assignment="lecture01", token="t-ada") -> requests.Response:
    return requests.post(f"{server.url}/api/courses/{COURSE}/assignments/{assignment}/submissions", data=body, timeout=60,
                         headers={"Authorization": f"token {token}", "Content-Type": "application/gzip"})


def tar_of(*members: tuple[tarfile.TarInfo, bytes | None], fmt=tarfile.PAX_FORMAT) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=fmt) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def file(name: str, data: bytes = NOTEBOOK):
    return tarfile.TarInfo(name), data


def entry(name: str, kind: bytes, **attrs):
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in attrs.items():
        setattr(info, key, value)
    return info, None


def folders(count: int):
    return [entry(f"d{i}", tarfile.DIRTYPE) for i in range(count)]


HOSTILE = {
    # name: (archive, status, words the message must contain)
    "folder bomb": (tar_of(*folders(5000), file("lecture01.ipynb")), 400, ["50 entries", "folders count"]),
    "file bomb": (tar_of(*[file(f"f{i}.txt", b"x") for i in range(51)]), 400, ["50 entries"]),
    "300-character name": (tar_of(file("a" * 300 + ".ipynb")), 400, [f"{MAX_NAME_BYTES} bytes", "name"]),
    "long name in UTF-8 bytes": (tar_of(file("é" * 150)), 400, [f"{MAX_NAME_BYTES} bytes"]),
    "5000-character path": (tar_of(file(("d" * 49 + "/") * 100 + "x")), 400, [f"{MAX_PATH_BYTES} bytes", "path"]),
    "deep nesting": (tar_of(file("d/" * (MAX_DEPTH + 5) + "x")), 400, [f"{MAX_DEPTH} folders"]),
    "file then folder clash": (tar_of(file("a"), file("a/b")), 400, ["'a'", "both a file and a folder"]),
    "folder then file clash": (tar_of(file("a/b"), file("a")), 400, ["'a'", "both a file and a folder"]),
    "folder entry and file clash": (tar_of(entry("a", tarfile.DIRTYPE), file("a")), 400, ["both a file and a folder"]),
    "same name twice": (tar_of(file("lecture01.ipynb"), file("lecture01.ipynb")), 400, ["twice"]),
    "absolute path": (tar_of(file("/etc/cron.d/x")), 400, ["unsafe path"]),
    "parent escape": (tar_of(file("../../escape.ipynb")), 400, ["unsafe path"]),
    "folder escape": (tar_of(entry("../up", tarfile.DIRTYPE), file("lecture01.ipynb")), 400, ["unsafe path"]),
    "control character": (tar_of(file("a\nb.ipynb")), 400, ["unsafe path"]),
    "backslash": (tar_of(file("a\\..\\b")), 400, ["unsafe path"]),
    "symlink": (tar_of(entry("lecture01.ipynb", tarfile.SYMTYPE, linkname="/etc/shadow")), 400, ["only regular files and folders"]),
    "hard link": (tar_of(file("a.txt"), entry("b.txt", tarfile.LNKTYPE, linkname="a.txt")), 400, ["only regular files and folders"]),
    "character device": (tar_of(entry("tty", tarfile.CHRTYPE, devmajor=5, devminor=0)), 400, ["only regular files and folders"]),
    "block device": (tar_of(entry("sda", tarfile.BLKTYPE, devmajor=8, devminor=0)), 400, ["only regular files and folders"]),
    "fifo": (tar_of(entry("pipe", tarfile.FIFOTYPE)), 400, ["only regular files and folders"]),
    "gzip bomb over the files' limit": (tar_of(file("big.bin", bytes(3_000_000))), 413, ["limit of 1 MB"]),
    "many files over the files' limit": (tar_of(*[file(f"f{i}", bytes(300_000)) for i in range(4)]), 413, ["limit of 1 MB"]),
    "not gzip": (b"just some text", 400, ["not a valid tar.gz"]),
    "truncated": (tar_of(file("x.bin", os.urandom(50_000)))[:20_000], 400, ["not a valid tar.gz"]),
    "gzip but not tar": (gzip.compress(b"\x01" * 5000), 400, ["not a valid tar.gz"]),
    "only folders": (tar_of(*folders(10)), 400, ["no files"]),
    "empty archive": (tar_of(), 400, ["no files"]),
    "only platform files": (tar_of(file("timestamp.txt", b"1999"), file("receipt.json", b"{}")), 400, ["no files"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_archive_is_refused_and_leaves_nothing(exchange, name):
    body, status, words = HOSTILE[name]
    before = snapshot(exchange.root)
    response = post(exchange, body)
    assert response.status_code == status, response.text
    message = response.json()["error"]
    for word in words:
        assert word in message, f"{name}: {message!r} does not say {word!r}"
    assert snapshot(exchange.root) == before, f"{name} left {snapshot(exchange.root) - before}"


def test_an_oversize_body_gets_a_413_that_states_the_limit(exchange):
    before = snapshot(exchange.root)
    limit_mb = f"{exchange.store.max_body / 1e6:.0f} MB"
    response = post(exchange, os.urandom(exchange.store.max_body + 100_000))  # read to its end, kept nowhere
    assert response.status_code == 413 and response.headers["Content-Type"] == "application/json"
    assert "larger than the limit" in response.json()["error"] and limit_mb in response.json()["error"]
    assert snapshot(exchange.root) == before
    after = post(exchange, pack_files({"lecture01.ipynb": NOTEBOOK}))  # the exchange serves on as before
    assert after.status_code == 201, after.text


def test_a_body_announced_far_over_the_limit_is_refused_before_it_is_read(exchange):
    connection = http.client.HTTPConnection("127.0.0.1", exchange.port, timeout=30)
    connection.putrequest("POST", f"{ExchangeServer.PREFIX}api/courses/{COURSE}/assignments/lecture01/submissions")
    connection.putheader("Authorization", "token t-ada")
    connection.putheader("Content-Type", "application/gzip")
    connection.putheader("Content-Length", str(10**12))  # a terabyte: never sent
    connection.endheaders()
    response = connection.getresponse()
    body = json.loads(response.read())
    assert response.status == 413 and "larger than the limit" in body["error"], body
    assert not (exchange.root / COURSE / "submissions").exists()


def test_the_resubmission_quota_names_itself(exchange):
    for _ in range(LIMITS["max_submissions"]):
        assert post(exchange, pack_files({"lecture01.ipynb": NOTEBOOK})).status_code == 201
    before = snapshot(exchange.root)
    response = post(exchange, pack_files({"lecture01.ipynb": NOTEBOOK}))
    assert response.status_code == 429
    message = response.json()["error"]
    assert "quota" in message and "3 submissions per assignment" in message and "COURSE_EXCHANGE_MAX_SUBMISSIONS" in message
    assert snapshot(exchange.root) == before
    assert post(exchange, pack_files({"lecture02.ipynb": NOTEBOOK}), assignment="lecture02").status_code == 201


def test_the_storage_quota_names_itself(exchange):
    chunk = os.urandom(900_000)  # incompressible: the body is as large as the files
    for assignment in ("lecture01", "lecture01", "lecture02"):
        assert post(exchange, pack_files({"work.bin": chunk}), assignment=assignment).status_code == 201
    before = snapshot(exchange.root)
    response = post(exchange, pack_files({"work.bin": chunk}), assignment="lecture02")
    assert response.status_code == 413
    message = response.json()["error"]
    assert "quota of 3 MB" in message and "COURSE_EXCHANGE_QUOTA_MB" in message and "3.6 MB" in message
    assert snapshot(exchange.root) == before


WRITE_FAILS = """
import resource, signal, sys
from pathlib import Path
from course_lib.hub.exchange_service import Store
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
store = Store(Path(sys.argv[1]))
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))  # the disk is "full" after 100 KB per file
try:
    store.submit("mlphys", "lecture01", "ada", {"a.ipynb": b"{}", "b/plot.png": bytes(500_000)}, account="x")
except OSError as exc:
    print("refused:", exc)
"""


def test_a_failed_write_removes_what_it_wrote(tmp_path):
    root = tmp_path / "storage"
    done = subprocess.run([sys.executable, "-c", WRITE_FAILS, str(root)], capture_output=True, text=True, timeout=60)
    assert "refused: [Errno 27] File too large" in done.stdout, done.stdout + done.stderr
    assert not list((root / COURSE).rglob(".incoming-*"))
    assert not (root / COURSE / "submissions" / "ada").exists(), snapshot(root)


def test_a_new_account_of_a_deleted_students_name_never_sees_the_old_work(tmp_path):
    identities = tokens()
    server = ExchangeServer(tmp_path / "storage", identities, **LIMITS)
    try:
        auth = {"Authorization": "token t-teacher"}
        requests.put(f"{server.url}/api/courses/{COURSE}/assignments/lecture01", headers=auth, timeout=30,
                     data=pack_files({"lecture01.ipynb": NOTEBOOK}))
        old = post(server, pack_files({"lecture01.ipynb": b'{"old": "account"}'})).json()
        # the hub deletes ada; a new account named ada is created later
        identities["t-ada"] = Identity("ada", "user", frozenset({"nbgrader-mlphys"}), created="2026-03-01T00:00:00Z")
        mine = requests.get(f"{server.url}/api/courses/{COURSE}/submissions", headers={"Authorization": "token t-ada"}, timeout=30)
        assert mine.status_code == 200 and mine.json() == []
        listed = requests.get(f"{server.url}/api/courses/{COURSE}/submissions", headers=auth, timeout=30).json()
        assert listed == [], "an instructor no longer collects the deleted account's work"
        archived = list((server.root / COURSE / "archive" / "ada").glob(f"*/submissions/lecture01/{old['submission_id']}"))
        assert len(archived) == 1 and b"old" in (archived[0] / "lecture01.ipynb").read_bytes()
        new = post(server, pack_files({"lecture01.ipynb": b'{"new": "account"}'})).json()
        assert [r["submission_id"] for r in requests.get(f"{server.url}/api/courses/{COURSE}/submissions",
                                                         headers=auth, timeout=30).json()] == [new["submission_id"]]
    finally:
        server.stop()


def test_the_sweep_archives_names_the_hub_no_longer_has(exchange):
    post(exchange, pack_files({"lecture01.ipynb": NOTEBOOK}))
    assert exchange.store.sweep({"ada": "2026-01-01T00:00:00Z", "teacher": None}) == []
    assert exchange.store.sweep({"teacher": None}) == [(COURSE, "ada")]
    assert not (exchange.root / COURSE / "submissions" / "ada").exists()
    assert list((exchange.root / COURSE / "archive" / "ada").glob("*/why.txt"))


def test_a_notebook_with_plots_is_stored_whatever_content_type_the_proxy_adds(exchange):
    """The hub's proxy gives a POST without a type ``application/x-www-form-urlencoded``; the exchange
    never reads an upload as a form, so a notebook of ~900 KB of plot bytes arrives whole."""
    notebook = b'{"cells": [], "png": "' + os.urandom(450_000).hex().encode() + b'"}'
    for content_type in ("application/x-www-form-urlencoded", "application/gzip", None):
        headers = {"Authorization": "token t-ada"} | ({"Content-Type": content_type} if content_type else {})
        response = requests.post(f"{exchange.url}/api/courses/{COURSE}/assignments/lecture02/submissions", timeout=60,
                                 headers=headers, data=pack_files({"lecture02.ipynb": notebook}))
        assert response.status_code == 201, (content_type, response.text)
        stored = exchange.root / COURSE / "submissions" / "ada" / "lecture02" / response.json()["submission_id"]
        assert (stored / "lecture02.ipynb").read_bytes() == notebook
