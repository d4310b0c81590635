"""The journal of a batch: one JSON line per finished submission, so that a killed run resumes where it stopped."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from ..sandbox.files import tree_checksum
from .assignment import GRADING_DIR


def submission_checksum(folder: Path) -> str:
    """The submission's checksum; a tree that cannot be walked gets a fresh one (it is graded every run)."""
    try:
        return tree_checksum(folder)
    except Exception as exc:  # a student's folder tree must never stop the batch
        return f"unwalkable {type(exc).__name__} {uuid.uuid4().hex}"


class Journal:
    """JSON lines in ``autograded/.grading/<assignment>.jsonl``: who, which version (checksum), the outcome."""

    def __init__(self, root: Path, assignment: str):
        self.path = root / GRADING_DIR / f"{assignment}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)

    def finished(self) -> dict[str, dict]:
        """student -> the last record of a successful grading."""
        done = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut short by a kill
                if record.get("success"):
                    done[record["student"]] = record
                else:
                    done.pop(record.get("student"), None)
        return done

    def append(self, record: dict) -> None:
        with open(self.path, "a") as handle:
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
