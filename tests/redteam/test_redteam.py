"""The red-team corpus: hostile and broken submissions graded in one batch beside honest ones.

Every entry in ``corpus/`` is one submission of the tiny ``redteam`` assignment. Its header says
what it does (``why``), what it must score (``expect``, autograded points of 3) and what the
recorded outcome must say (``message``, a regular expression searched in the journal's note and
the graded notebook's outputs). Attacks score 0; broken-but-honest work scores what it earned.
The batch also holds honest bystanders, and one student graded earlier whose gradebook rows
(including a manual grade) must not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sqlite3
import threading
from pathlib import Path

import nbformat
import pytest

import course_lib
from conftest import course_env, run
from redteam.tiny import (ASSIGNMENT, auto_total, gradebook_rows, grades, journal, make_tiny_course, reference, release,
                          submit, with_cell, wrong_answers)

CORPUS = Path(__file__).parent / "corpus"
REQUIRED = {
    "infinite_loop", "memory_bomb", "fork_bomb", "fill_the_disk", "output_100mb", "os_exit", "sigkill_own_kernel",
    "read_hidden_tests", "read_gradebook", "read_other_submission", "write_outside_its_copy", "open_network_connection",
    "patch_numpy", "patch_pytest_and_builtins", "ipython_hooks", "fake_sys_modules", "deleted_locked_cells",
    "duplicated_locked_cells", "edited_locked_cells", "changed_cell_ids", "invalid_json", "nbformat3", "zero_cells",
    "wrong_kernelspec", "huge_file_200mb", "symlink_to_gradebook", "dotdot_and_unicode_names",
    # the trusted side's bounds: copy-back, kernel messages, output, verdict text, instructor text
    "swap_work_folder_for_symlinks", "static_symlinks_to_host", "reply_of_250mb", "reply_nested_5000_deep",
    "cell_output_nested_5000_deep", "integer_of_100000_digits", "widget_state_flood", "output_under_channel_mime",
    "display_update_flood", "forged_verdict_in_exception", "forged_verdict_from_callee", "recursion_in_answer",
    "read_own_notebook_files", "malformed_message_content",
}


def parse(path: Path) -> dict:
    header, body = {}, []
    lines = path.read_text().split("\n")
    for index, line in enumerate(lines):
        match = re.match(r"#\s*(kind|replaces|base|expect|message|why):\s*(.*)$", line)
        if not match:
            body = lines[index:]
            break
        header[match.group(1)] = match.group(2).strip()
    return {"name": path.stem, "kind": header.get("kind", "cell"), "replaces": header.get("replaces"),
            "base": header["base"], "expect": float(header["expect"]), "message": header["message"],
            "why": header["why"], "code": "\n".join(body)}


ENTRIES = {p.stem: parse(p) for p in sorted(CORPUS.glob("*.py"))}


def student_of(name: str) -> str:
    return "rt-" + name.replace("_", "-")


class Listener:
    """A TCP server on the grading host that counts connections (there must be none)."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


def tree_digest(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path.relative_to(folder))] = "-> " + os.readlink(path)
        elif path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build(root: Path, entry: dict, tokens: dict) -> None:
    code = entry["code"]
    for token, value in tokens.items():
        code = code.replace(token, value)
    base = reference(root) if entry["base"] == "reference" else release(root)
    folder = submit(root, student_of(entry["name"]), None)
    if entry["kind"] == "cell":
        nbformat.write(with_cell(base, entry["replaces"], code), folder / f"{ASSIGNMENT}.ipynb")
        return
    namespace = {"nb": base, "folder": folder, "nbformat": nbformat, "json": json, "os": os, "Path": Path, "fill": with_cell}
    exec(compile(code, entry["name"], "exec"), namespace)
    if namespace["nb"] is not None:
        nbformat.write(namespace["nb"], folder / f"{ASSIGNMENT}.ipynb")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = make_tiny_course(tmp_path_factory.mktemp("redteam") / "course")
    env = course_env(COURSE_GRADING_SEED="7")
    listener = Listener()
    tokens = {"__COURSE_ROOT__": str(root), "__PORT__": str(listener.port),
              "__COURSE_LIB__": str(Path(course_lib.__file__).parent)}

    # A student graded before the attack, with a manual grade: nothing of it may change.
    submit(root, "earlier", reference(root))
    run(["course", "grade", ASSIGNMENT, "--student", "earlier", "--quiet"], root, env)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "mlphys") as gb:
        grade = gb.find_grade("explain", ASSIGNMENT, ASSIGNMENT, "earlier")
        grade.manual_score, grade.needs_manual_grade = 1.0, False
        gb.db.commit()
    earlier_rows = gradebook_rows(root, "earlier")

    submit(root, "bystander-a", reference(root))
    submit(root, "bystander-b", reference(root))
    wrong = reference(root)
    for gid, code in wrong_answers().items():
        wrong = with_cell(wrong, gid, code)
    submit(root, "bystander-wrong", wrong)
    for entry in ENTRIES.values():
        build(root, entry, tokens)
    protected = {name: tree_digest(root / name) for name in ("source", "release", "grader_tests", "submitted")}

    # Four at once: the slowest entries sit out a time limit (sleeping, or spinning in one kernel), and the
    # batch must hold with more hostile kernels beside each other than a 2-core machine's default of two.
    result = run(["course", "grade", ASSIGNMENT, "--quiet", "--jobs", "4"], root, env, check=False, timeout=1500)
    listener.server.close()
    records = {}
    for record in journal(root):
        records.setdefault(record["student"], []).append(record)
    return {"root": root, "result": result, "scores": grades(root, env), "records": records, "listener": listener,
            "earlier_rows": earlier_rows, "protected": protected}


def test_corpus_covers_the_required_attacks():
    assert len(ENTRIES) >= 25
    assert REQUIRED <= set(ENTRIES), sorted(REQUIRED - set(ENTRIES))


def test_the_batch_finishes_and_records_every_submission(batch):
    assert batch["result"].returncode == 0, batch["result"].stderr[-3000:]
    total = len(ENTRIES) + 4
    assert f"graded {total} of {total} submissions" in batch["result"].stdout


def _outputs_text(root: Path, student: str) -> str:
    path = root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    texts = [json.dumps(c.get("outputs", [])) for c in nb.cells]
    texts += [c.source for c in nb.cells if c.cell_type == "markdown" and "could not be graded" in c.source]
    return "\n".join(texts)


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_each_submission_scores_what_it_earned_with_a_clear_message(batch, name):
    entry, student = ENTRIES[name], student_of(name)
    records = batch["records"].get(student, [])
    assert [r["success"] for r in records] == [True], records  # graded, once, with an outcome
    assert auto_total(batch["scores"][student]) == entry["expect"], (entry["why"], batch["scores"][student])
    said = records[-1]["note"] + "\n" + _outputs_text(batch["root"], student)
    assert re.search(entry["message"], said), f"{name}: no message matching {entry['message']!r} in:\n{said[-3000:]}"
    assert not re.search(r"Traceback \(most recent call last\)|internal grader error", records[-1]["note"])


def test_honest_bystanders_are_graded_normally(batch):
    assert auto_total(batch["scores"]["bystander-a"]) == 3.0
    assert auto_total(batch["scores"]["bystander-b"]) == 3.0
    assert auto_total(batch["scores"]["bystander-wrong"]) == 0.0


def test_a_student_graded_earlier_keeps_every_row(batch):
    assert gradebook_rows(batch["root"], "earlier") == batch["earlier_rows"]
    assert batch["scores"]["earlier"] == {"square": 2.0, "mean": 1.0, "explain": 1.0}


def test_the_gradebook_is_intact(batch):
    db = sqlite3.connect(batch["root"] / "gradebook.db")
    try:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        max_scores = db.execute("select distinct max_score from grade_cells").fetchall()
        assert sorted(m for (m,) in max_scores) == [1.0, 2.0]
        assert db.execute("select count(*) from grade where manual_score = 100").fetchone() == (0,)
    finally:
        db.close()
    students = set(batch["scores"])
    assert students == {student_of(n) for n in ENTRIES} | {"earlier", "bystander-a", "bystander-b", "bystander-wrong"}
    assert all(sum(1 for _ in s) == 3 for s in batch["scores"].values())  # square, mean, explain: nothing added


def test_nothing_outside_the_sandbox_changed(batch):
    root = batch["root"]
    for name, digest in batch["protected"].items():
        assert tree_digest(root / name) == digest, f"{name}/ changed during grading"
    planted = [p for p in root.rglob("*pwned*")] + [p for p in root.parent.rglob("escape.txt")]
    assert not planted, planted
    assert not Path("/etc/pwned.txt").exists() and not Path("/etc/escape.txt").exists()
    assert not (Path(course_lib.__file__).parent / "pwned.py").exists()
    assert batch["listener"].accepted == 0
    for student in ("rt-symlink-to-gradebook", "rt-huge-file-200mb", "rt-dotdot-and-unicode-names"):
        graded = root / "autograded" / student / ASSIGNMENT
        assert not any(p.is_symlink() for p in graded.rglob("*"))
        assert not any(p.stat().st_size > 100 * 2**20 for p in graded.rglob("*") if p.is_file())


def _check_cell_lines(root: Path, student: str) -> list[str]:
    """Every line of the verdicts the platform wrote into the check cells of ``student``'s graded notebook."""
    nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in ("square", "mean"):
            for output in cell.outputs:
                lines += output.get("traceback", []) + output.get("text", "").splitlines()
    return lines


@pytest.mark.parametrize("name", ["forged_verdict_in_exception", "forged_verdict_from_callee"])
def test_student_text_never_forms_a_line_of_the_verdict(batch, name):
    lines = _check_cell_lines(batch["root"], student_of(name))
    assert lines, "the check cells hold a verdict"
    assert not any("[PASS]" in line or "2 / 2" in line for line in lines if "'" not in line), lines
    quoted = [line for line in lines if "your code" in line or "failed:" in line]
    assert quoted and all("\n" not in line and "\x1b" not in line for line in quoted), lines
    assert lines[0].startswith("Platform grader: 0 / ")


def test_hostile_submissions_stay_within_the_grading_process_memory_and_the_output_cap(batch):
    """Acceptance of the trusted side's bounds: peak memory per submission and the graded notebook's outputs."""
    records = {student: rows[-1] for student, rows in batch["records"].items()}
    honest = max(records[s]["peak_mb"] for s in ("bystander-a", "bystander-b", "bystander-wrong"))
    assert honest > 0, "the journal records the grading process's peak memory"
    report = []
    for name in ENTRIES:
        student = student_of(name)
        peak = records[student]["peak_mb"]
        path = batch["root"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        outputs = sum(len(json.dumps(c.get("outputs", []))) for c in nbformat.read(path, as_version=4).cells) \
            if path.exists() else 0
        report.append((name, peak, outputs))
        assert peak <= honest + 256, (name, peak, honest)
        assert outputs <= (2 + 1) * 2**20, (name, outputs)  # the tiny course's cap is 2 MB
    print("\n".join(f"{n}: peak {p} MB, outputs {o / 2**20:.2f} MB (honest peak {honest} MB)" for n, p, o in report))


def test_no_host_file_reaches_the_graded_folders(batch):
    root = batch["root"]
    secrets = [Path("/etc/passwd").read_bytes(), (root / "grader_tests" / ASSIGNMENT / "test_redteam.py").read_bytes()]
    for path in (root / "autograded").rglob("*"):
        if path.is_symlink():
            raise AssertionError(f"a symlink in the graded folders: {path}")
        if path.is_file() and path.suffix != ".ipynb":
            data = path.read_bytes()
            assert data not in secrets and b"COURSE_GRADING_SEED" not in data and b"root:x:0:0" not in data, path


def test_graded_notebooks_carry_no_widget_state(batch):
    path = batch["root"] / "autograded" / student_of("widget_state_flood") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
