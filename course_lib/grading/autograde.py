"""nbgrader's Autograde, extended the way nbgrader is meant to be: subclasses and configured preprocessors.

- `LockedSaveAutoGrades`, `LockedAssignLatePenalties` and `LockedOverwriteCells` are nbgrader's
  own gradebook-writing preprocessors with the gradebook lock around them; the course's
  ``nbgrader_config.py`` lists them, so the formgrader's autograding takes the lock too.
- `StagedAutograde` reads the staged copy of a submission (nbgrader's ``submitted_directory``
  set to the staging folder), hands staging's findings to the notebook's preprocessors in
  nbconvert's ``resources``, and keeps what `HiddenGraderExecute` returns in its resources:
  results travel with the notebook, never through module state.
"""

from __future__ import annotations

from nbgrader.converters import Autograde
from nbgrader.preprocessors import AssignLatePenalties, OverwriteCells, SaveAutoGrades

from .assignment import AssignmentInfo
from .locks import gradebook_lock

RESOURCE_KEY = "course_grading"  # resources[RESOURCE_KEY]: {"unreadable": reason or None} in, {"outcome": {...}} out


class _GradebookLocked:
    """Runs the preprocessor with the gradebook lock held."""

    def preprocess(self, nb, resources):
        with gradebook_lock(resources["nbgrader"]["db_url"]):
            return super().preprocess(nb, resources)


class LockedSaveAutoGrades(_GradebookLocked, SaveAutoGrades):
    """SaveAutoGrades with the gradebook lock held."""


class LockedAssignLatePenalties(_GradebookLocked, AssignLatePenalties):
    """AssignLatePenalties with the gradebook lock held."""


class LockedOverwriteCells(_GradebookLocked, OverwriteCells):
    """OverwriteCells with the gradebook lock held (it reads and may add cells to the gradebook)."""


class StagedAutograde(Autograde):
    """Autograde one student's staged submission; `outcomes` holds each notebook's grading outcome."""

    def __init__(self, *args, unreadable: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unreadable = dict(unreadable or {})
        self.outcomes: dict[str, dict] = {}

    def init_assignment(self, assignment_id, student_id):
        with gradebook_lock(self.coursedir.db_url):
            super().init_assignment(assignment_id, student_id)

    def init_single_notebook_resources(self, notebook_filename):
        resources = super().init_single_notebook_resources(notebook_filename)
        resources[RESOURCE_KEY] = {"unreadable": self.unreadable.get(resources["nbgrader"]["notebook"])}
        return resources

    def write_single_notebook(self, output, resources):
        outcome = (resources.get(RESOURCE_KEY) or {}).get("outcome")
        if outcome is not None:
            self.outcomes[resources["nbgrader"]["notebook"]] = outcome
        super().write_single_notebook(output, resources)


def autograde_staged(info: AssignmentInfo, student: str, staging_rel: str, unreadable: dict[str, str]) -> tuple[dict, dict]:
    """(nbgrader's result, notebook -> outcome) of autograding the copy staged under `staging_rel`."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.utils import capture_log, temp_attrs

    api = NbGraderAPI(config=info.config)
    with temp_attrs(api.coursedir, assignment_id=info.assignment, student_id=student, submitted_directory=staging_rel):
        app = StagedAutograde(coursedir=api.coursedir, parent=api, unreadable=unreadable)
        app.force, app.create_student = True, True
        return capture_log(app), app.outcomes
