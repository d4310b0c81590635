"""Acceptance 4: 30 students fetch and submit at the same time through the real hub and exchange, 3 rounds.

Each simulated student is a process running as their own Unix account with their own hub
token; requests go through the hub's public proxy to the exchange service, which asks the hub
who each token belongs to. Every submission must arrive exactly once, carry the platform's
receipt time (not the forged one the student sent), and hold that student's work for that
round; `nbgrader collect` then picks each student's latest.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import REPO, course_env, run
from course_lib.hub.spawner import ensure_account, role_config_path

from .conftest import ARTIFACTS, UNIX_PREFIX, fresh_accounts

STUDENTS, ROUNDS = 30, 3
DRIVER = Path(__file__).with_name("load_student.py")


@pytest.fixture(scope="module")
def load_run(hub):
    users = [f"load{i:02d}" for i in range(1, STUDENTS + 1)]
    fresh_accounts(users)
    python = hub.state / "runtime" / "bin" / "python3"
    python = python if python.exists() else Path(sys.executable)
    procs, specs = {}, []
    for user in users:  # each student a process of their own account, forked from one that imported nbgrader once
        hub.ensure_user(user)
        account = ensure_account(UNIX_PREFIX + user)
        env = {"PATH": f"{python.parent}:/usr/bin:/bin", "HOME": account.pw_dir, "USER": account.pw_name,
               "JUPYTERHUB_API_TOKEN": hub.user_token(user), "COURSE_EXCHANGE_URL": hub.exchange_url}
        (their_stdin, our_stdin), (our_stdout, their_stdout) = os.pipe(), os.pipe()
        specs.append({"user": user, "account": account.pw_name, "env": env, "stdin": their_stdin, "stdout": their_stdout})
        procs[user] = SimpleNamespace(stdin=os.fdopen(our_stdin, "w"), stdout=os.fdopen(our_stdout))
    theirs = [fd for spec in specs for fd in (spec["stdin"], spec["stdout"])]
    launcher = subprocess.Popen([str(python), str(DRIVER), "--fork"], cwd="/", text=True, stdin=subprocess.PIPE,
                                stderr=subprocess.PIPE, pass_fds=theirs,
                                env={"PATH": f"{python.parent}:/usr/bin:/bin"})
    for fd in theirs:
        os.close(fd)
    launcher.stdin.write(json.dumps(specs))
    launcher.stdin.close()
    for user, proc in procs.items():
        line = proc.stdout.readline()
        if json.loads(line or "{}").get("ready") != user:
            launcher.kill()
            raise AssertionError(f"{user}'s driver did not start: {launcher.stderr.read()[-2000:]}")

    rounds, results = [], []
    for round_no in range(1, ROUNDS + 1):
        started, wall = datetime.now().astimezone(), time.monotonic()
        for proc in procs.values():  # every student starts at once
            proc.stdin.write(f"{round_no}\n")
            proc.stdin.flush()
        answers = [json.loads(proc.stdout.readline() or '{"error": "no answer"}') for proc in procs.values()]
        rounds.append({"round": round_no, "started": started, "ended": datetime.now().astimezone(),
                       "seconds": time.monotonic() - wall})
        results += answers
    for proc in procs.values():
        proc.stdin.close()
    assert launcher.wait(60) == 0, launcher.stderr.read()[-2000:]

    latencies = sorted(r["fetch_s"] + r["submit_s"] for r in results if "receipt" in r)
    summary = {"students": STUDENTS, "rounds": [{"round": r["round"], "wall_seconds": round(r["seconds"], 2)} for r in rounds],
               "submissions_ok": len(latencies), "errors": [r for r in results if "error" in r],
               "fetch+submit seconds p50": round(statistics.median(latencies), 3) if latencies else None,
               "fetch+submit seconds max": round(latencies[-1], 3) if latencies else None}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return {"users": users, "rounds": rounds, "results": results, "summary": summary}


def test_every_submission_was_received(load_run):
    assert load_run["summary"]["errors"] == []
    assert load_run["summary"]["submissions_ok"] == STUDENTS * ROUNDS


def test_each_arrived_exactly_once_with_its_own_work(load_run, hub):
    by_marker = {r["marker"]: r for r in load_run["results"]}
    for user in load_run["users"]:
        folder = hub.exchange_root / "mlphys" / "submissions" / user / "lecture01"
        stored = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        assert len(stored) == ROUNDS, f"{user}: {len(stored)} stored submissions"
        for round_no, submission in enumerate(stored, start=1):
            receipt = json.loads((submission / "receipt.json").read_text())
            notebook = (submission / "lecture01.ipynb").read_text()
            markers = [line for line in notebook.split('"') if line.startswith("load-marker")]
            assert len(markers) == 1, f"{submission}: {markers}"
            sent = by_marker[markers[0]]
            assert sent["student"] == user == receipt["student_id"] and sent["round"] == round_no
            assert sent["receipt"]["submission_id"] == submission.name


def test_every_submission_carries_the_platforms_receipt_time(load_run, hub):
    windows = {r["round"]: r for r in load_run["rounds"]}
    stamps = []
    for result in load_run["results"]:
        receipt = result["receipt"]
        stored = hub.exchange_root / "mlphys" / "submissions" / result["student"] / "lecture01" / receipt["submission_id"]
        assert (stored / "timestamp.txt").read_text() == receipt["timestamp"]
        received = datetime.fromisoformat(receipt["received_at"])
        window = windows[result["round"]]
        assert window["started"] <= received <= window["ended"], "receipt time outside the round: not the platform's clock"
        stamps.append(receipt["timestamp"])
    assert len(set(stamps)) == len(stamps), "two submissions share a receipt time"


def test_collect_takes_each_students_latest(load_run, hub):
    env = course_env(COURSE_EXCHANGE_URL=hub.exchange_url, COURSE_EXCHANGE_TOKEN=hub.token("formgrader"),
                     JUPYTER_CONFIG_PATH=role_config_path("formgrader"), COURSE_ID="mlphys")
    env.pop("JUPYTERHUB_API_TOKEN", None)
    run(["nbgrader", "collect", "lecture01", "--update"], hub.course, env)
    latest = {r["student"]: r for r in load_run["results"] if r["round"] == ROUNDS}
    for user in load_run["users"]:
        collected = hub.course / "submitted" / user / "lecture01"
        assert latest[user]["marker"] in (collected / "lecture01.ipynb").read_text()
        assert (collected / "timestamp.txt").read_text() == latest[user]["receipt"]["timestamp"]


# --- Acceptance 3 of the exchange: 200 students x 3 rounds through the hub's proxy, with real notebooks ---
PROXY_STUDENTS, PROXY_THREADS = 200, 24
MIN_BYTES, MAX_BYTES = 10_000, 2_000_000


def plot_pngs() -> list[bytes]:
    """Plots as students make them (matplotlib, PNG), from a few KB to a few hundred KB; made once."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rng, pngs = np.random.default_rng(0), []
    for points, dpi in ((50, 40), (2_000, 80), (20_000, 110), (60_000, 130)):
        fig, ax = plt.subplots(figsize=(6, 4))
        x = rng.normal(size=points)
        ax.scatter(x, np.sin(3 * x) + rng.normal(scale=0.3, size=points), s=2, alpha=0.5)
        ax.set_xlabel("x")
        ax.set_ylabel("prediction")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
        plt.close(fig)
        pngs.append(buffer.getvalue())
    return sorted(pngs, key=len)


def realistic_notebook(size: int, marker: str, pngs: list[bytes], rng) -> bytes:
    """An nbformat 4 notebook of about ``size`` bytes: markdown answers and code cells whose outputs
    are the plots, the bytes of each plot copy varied (a PNG text chunk) so no two are alike."""
    import base64
    import struct
    import zlib

    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# Lecture 1\n\n{marker}"))
    total = 2_000
    while total < size:
        fitting = [p for p in pngs if len(p) * 4 // 3 + total <= size] or pngs[:1]
        png = fitting[int(rng.integers(len(fitting)))]
        text = b"tEXt" + b"run\x00" + rng.bytes(6).hex().encode()  # a valid text chunk before IEND
        varied = png[:-12] + struct.pack(">I", len(text) - 4) + text + struct.pack(">I", zlib.crc32(text)) + png[-12:]
        cell = nbformat.v4.new_code_cell("plt.scatter(x, model(x)); plt.show()")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(varied).decode(),
                                                                     "text/plain": "<Figure size 600x400>"})]
        answer = nbformat.v4.new_markdown_cell("The fit follows the data; the residuals look like noise.")
        nb.cells += [cell, answer]
        total += len(json.dumps([cell, answer], indent=1))  # near enough; serialising the whole notebook each time is quadratic
        if len(fitting) == 1 and len(pngs[0]) * 4 // 3 + total > size:
            break
    total = len(nbformat.writes(nb).encode())
    if total < size:  # the rest in words
        words = rng.choice(["loss", "epoch", "layer", "the", "network", "fits", "noise", "gradient", "and"], size=(size - total) // 6)
        nb.cells.append(nbformat.v4.new_markdown_cell(" ".join(words)))
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def proxy_load_run(hub, tmp_path_factory):
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    from course_lib.hub.exchange_client import HubExchangeSubmit

    assert hub.exchange_url == f"{hub.url}/services/exchange" and str(hub.port) in hub.url  # the proxy's port
    started = time.monotonic()
    users = [f"proxy{i:03d}" for i in range(PROXY_STUDENTS)]
    hub.api("POST", "users", json={"usernames": users}, expect=(201, 409))  # the hub skips existing ones; 409: all exist
    hub.api("POST", "groups/nbgrader-mlphys/users", json={"users": users})
    tokens = {user: hub.user_token(user) for user in users}
    pngs = plot_pngs()
    rng = np.random.default_rng(13)
    sizes = {(u, r): int(np.exp(rng.uniform(np.log(MIN_BYTES), np.log(MAX_BYTES)))) for u in users for r in (1, 2, 3)}
    sizes[(users[0], 1)], sizes[(users[1], 1)] = MIN_BYTES, MAX_BYTES  # both ends of the range
    base = tmp_path_factory.mktemp("proxy-load")
    setup_seconds = time.monotonic() - started

    def one(user: str, round_no: int) -> dict:
        rng = np.random.default_rng(abs(hash((user, round_no))) % 2**32)
        marker = f"proxy-marker {user} round {round_no} {rng.bytes(6).hex()}"
        notebook = realistic_notebook(sizes[(user, round_no)], marker, pngs, rng)
        work = base / user / f"round{round_no}"
        (work / "lecture01").mkdir(parents=True)
        (work / "lecture01" / "lecture01.ipynb").write_bytes(notebook)
        config = Config()
        config.CourseDirectory.course_id = "mlphys"
        config.CourseDirectory.assignment_id = "lecture01"
        config.Exchange.assignment_dir = str(work)
        config.HubExchange.url = hub.exchange_url
        config.HubExchange.token = tokens[user]
        config.HubExchange.cache = str(work / "cache")
        try:
            receipt = HubExchangeSubmit(coursedir=CourseDirectory(config=config), config=config).start()
        except Exception as exc:  # every failure is reported, none is lost
            return {"student": user, "round": round_no, "error": f"{type(exc).__name__}: {exc}"}
        return {"student": user, "round": round_no, "marker": marker, "bytes": len(notebook), "receipt": receipt,
                "sha256": hashlib.sha256(notebook).hexdigest()}

    results, rounds = [], []
    with ThreadPoolExecutor(PROXY_THREADS) as pool:
        for round_no in (1, 2, 3):
            wall = time.monotonic()
            results += list(pool.map(lambda user: one(user, round_no), users))
            rounds.append(round(time.monotonic() - wall, 1))
    sent = [r["bytes"] for r in results if "bytes" in r]
    summary = {"students": PROXY_STUDENTS, "rounds_wall_seconds": rounds, "setup_seconds": round(setup_seconds, 1),
               "submissions_ok": len(sent), "errors": [r for r in results if "error" in r][:5],
               "notebook_bytes_min": min(sent, default=0), "notebook_bytes_max": max(sent, default=0),
               "notebook_mb_total": round(sum(sent) / 1e6, 1)}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "proxy-load.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return {"users": users, "results": results, "summary": summary}


def test_600_real_notebooks_through_the_proxy_are_all_received(proxy_load_run):
    summary = proxy_load_run["summary"]
    assert summary["errors"] == [] and summary["submissions_ok"] == 3 * PROXY_STUDENTS
    assert summary["notebook_bytes_min"] <= 12_000 and summary["notebook_bytes_max"] >= 1_900_000


def test_each_stored_exactly_once_unmixed_and_the_latest_is_round_3(proxy_load_run, hub):
    import hashlib

    by_id = {r["receipt"]["submission_id"]: r for r in proxy_load_run["results"]}
    for user in proxy_load_run["users"]:
        folder = hub.exchange_root / "mlphys" / "submissions" / user / "lecture01"
        stored = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        assert len(stored) == 3, f"{user}: {len(stored)} stored submissions"
        for round_no, submission in enumerate(stored, start=1):
            sent = by_id[submission.name]
            assert sent["student"] == user and sent["round"] == round_no
            assert hashlib.sha256((submission / "lecture01.ipynb").read_bytes()).hexdigest() == sent["sha256"]
        assert by_id[stored[-1].name]["round"] == 3
