"""Find the course root and talk to nbgrader with the course's own configuration."""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"

# The course's parts no student may read: the hub makes them private on disk (folders 0700,
# files 0600), and no sandbox may see them. .git holds every past version of source/ and grader_tests/.
PRIVATE = ("source", "grader_tests", ".secrets", "gradebook.db", "submitted", "autograded", "feedback", "demo", ".git")


def never_in_a_sandbox(root: Path) -> list[str]:
    """What a sandbox must never expose: the private parts, and the release and exchange besides (nothing in
    a sandbox needs them); `Sandbox` refuses to start when a folder it binds would expose one of them."""
    return [str(Path(root) / name) for name in (*PRIVATE, "release", "exchange")]


class CourseNotFound(RuntimeError):
    pass


def find_course_root(start: str | os.PathLike | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: cwd, or $COURSE_ROOT) with nbgrader_config.py."""
    start = Path(start or os.environ.get("COURSE_ROOT") or os.getcwd()).resolve()
    for folder in (start, *start.parents):
        try:
            if (folder / CONFIG_NAME).is_file() and (folder / "source").is_dir():
                return folder
        except PermissionError:  # a folder this account may not look into holds no course it can use
            continue
    raise CourseNotFound(
        f"no course found at or above {start}: a course root holds {CONFIG_NAME} and a source/ folder"
    )


def load_config(root: Path) -> Config:
    """The course's nbgrader configuration, exactly as `nbgrader` run in ``root`` would load it."""
    return PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()


def nbgrader_api(root: Path):
    """nbgrader's API with the course's configuration (nbgrader is imported only here: the hub imports this module)."""
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=load_config(root))


def submitted_students(root: Path, assignment: str) -> list[str]:
    """Students with a collected submission of ``assignment`` (nbgrader's submitted/ layout)."""
    submitted = root / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())
