"""nbgrader configuration for the course repository (the course root is this folder).

The changes to nbgrader's own pipeline, all made here in its configured preprocessor lists:
autograding executes notebooks with ``HiddenGraderExecute``, which judges the student's kernel
from the trusted process with the hidden graders in ``grader_tests/``; the preprocessors that
write the gradebook take a lock first (``Locked*``), so that parallel graders never time out on
SQLite. Everything else is stock nbgrader.
"""

import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearMarkScheme,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
)

from course_lib import safe_html
from course_lib.course_dir import never_in_a_sandbox
from course_lib.grading.autograde import LockedAssignLatePenalties, LockedOverwriteCells, LockedSaveAutoGrades
from course_lib.grading.execute import HiddenGraderExecute

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)
course_root = Path(__file__).resolve().parent

c.CourseDirectory.root = str(course_root)
c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "mlphys")
# `course grade` grades several submissions at once: SQLite waits up to a minute for a lock.
c.CourseDirectory.db_url = os.environ.get("COURSE_GRADEBOOK_URL", f"sqlite:///{course_root / 'gradebook.db'}?timeout=60")
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", str(course_root / "exchange"))

# Student stubs: a clear instruction instead of nbgrader's bare NotImplementedError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    LockedOverwriteCells,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    HiddenGraderExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    LockedSaveAutoGrades,
    LockedAssignLatePenalties,
    CheckCellMetadata,
]
# Autograding restores locked cells from the gradebook, mark schemes included; they are
# for graders in the formgrader and must not reach students in their feedback.
c.GenerateFeedback.preprocessors = [GetGrades, ClearMarkScheme, CSSHTMLHeaderPreprocessor]

c.HiddenGraderExecute.grader_tests_dir = str(course_root / "grader_tests")
c.HiddenGraderExecute.secrets_dir = str(course_root / ".secrets")
# Course notebooks train small networks; a cell may take a few minutes on two cores.
c.HiddenGraderExecute.timeout = 300
c.HiddenGraderExecute.call_timeout = 60
# Each student kernel runs in a bubblewrap sandbox (course_lib/sandbox): its own user, no
# network, a read-only system, a private copy of its submission and nothing else of the
# course. Limits: course_lib.sandbox.Limits, overridden per assignment by
# grader_tests/<assignment>/limits.toml (or course-wide here: c.HiddenGraderExecute.limits).
c.HiddenGraderExecute.sandbox = "bwrap"
c.HiddenGraderExecute.submitted_dir = str(course_root / "submitted")
c.HiddenGraderExecute.protected_paths = never_in_a_sandbox(course_root)
c.LimitOutput.max_lines = 1000
# Every HTML export of a notebook (the formgrader's submission view, feedback) renders student
# markup inert: outputs and markdown are cleaned, scripts and event handlers dropped (course_lib/safe_html.py).
safe_html.configure(c)
# A deleted autograder or task cell comes back (nbgrader's own repair); the work is still graded.
c.OverwriteCells.add_missing_cells = True
