"""The course's secret grading seed: kept by the instructor, never sent to a kernel."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

SEED_ENV = "COURSE_GRADING_SEED"


def grading_seed(secrets_dir: str | os.PathLike) -> int:
    """The seed from $COURSE_GRADING_SEED, else from ``secrets_dir/grading_seed`` (created once, mode 0600)."""
    if os.environ.get(SEED_ENV, "").strip():
        try:
            return int(os.environ[SEED_ENV])
        except ValueError:
            raise ValueError(f"${SEED_ENV} must be an integer, got {os.environ[SEED_ENV]!r}") from None
    path = Path(secrets_dir) / "grading_seed"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{secrets.randbits(63)}\n")
    return int(path.read_text().strip())


def submission_key(student_id: str, nb) -> str:
    """The key the graders' inputs are drawn with: the student and a digest of the submitted code.

    A resubmission with other code gets other inputs, so inputs that leaked into one feedback
    tell nothing about the next; grading the same submission again draws the same inputs.
    """
    sources = [cell.get("source", "") for cell in nb.get("cells", []) if cell.get("cell_type") == "code"]
    digest = hashlib.sha256(json.dumps(sources).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{student_id}/{digest}"
