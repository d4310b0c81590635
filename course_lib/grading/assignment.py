"""What grading needs to know about one course and assignment, read once from its configuration and gradebook."""

from __future__ import annotations

from pathlib import Path

from ..course_dir import load_config

GRADING_DIR = Path("autograded") / ".grading"  # journals, locks and staging folders: instructors' only


class AssignmentInfo:
    """The course's nbgrader configuration, gradebook address and the assignment's notebooks."""

    def __init__(self, root: Path, assignment: str):
        from nbgrader.api import Gradebook, MissingEntry

        self.root, self.assignment = Path(root), assignment
        self.config = load_config(self.root)
        self.db_url = self.config.CourseDirectory.db_url
        self.course_id = self.config.CourseDirectory.course_id
        with Gradebook(self.db_url, self.course_id) as gb:
            try:
                source = gb.find_assignment(assignment)
            except MissingEntry:
                raise ValueError(f"assignment {assignment!r} is not in the gradebook; "
                                 f"run `nbgrader generate_assignment {assignment}` first") from None
            self.notebooks = [nb.name for nb in source.notebooks]
        max_kb = self.config.CourseDirectory.max_file_size if "max_file_size" in self.config.CourseDirectory else 100000
        self.max_file_bytes = int(max_kb) * 1000

    @property
    def release_dir(self) -> Path:
        return self.root / "release" / self.assignment

    def submitted(self, student: str) -> Path:
        return self.root / "submitted" / student / self.assignment

    def sandboxed(self) -> bool:
        return self.config.get("HiddenGraderExecute", {}).get("sandbox", "bwrap") == "bwrap"
