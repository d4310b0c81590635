"""Trusted grading: run a submission's notebook in a sandbox, then judge it from outside the kernel.

The student's kernel only ever receives inputs and returns plain data (``mlphys.channel``);
hidden pytest graders in ``grader_tests/`` compute every verdict in a trusted process. Results
travel in return values and nbconvert's ``resources``, never in module state.

Modules, by verb:

- ``cli``: the grading verbs of the ``course`` command (``grade``, ``grades``, ``check-graders``).
- ``grade``: ``course grade``, a resumable parallel batch.
- ``grades``: ``course grades``, scores per student and grade cell.
- ``check_graders``: ``course check-graders``, the wrong-solution corpus in one kernel.

Modules, one submission's path:

- ``submission``: grading one submission end to end, with its per-phase account of time.
- ``assignment``: what grading knows about a course and assignment (configuration, notebooks).
- ``staging``: hostile notebooks bounded, decoded and repaired into a private staging folder.
- ``autograde``: nbgrader's Autograde and gradebook preprocessors, extended by subclassing.
- ``execute``: nbgrader's Execute step in a sandboxed kernel, with the hidden graders after it.
- ``isolation``: the hidden graders in a memory- and CPU-limited child process.
- ``plugin``: the pytest plugin that runs one assignment's graders against one live kernel.
- ``student``: the trusted-side proxy of the student's kernel that graders call.
- ``checks``: graders' helpers that validate what came through the channel.
- ``verdicts``: verdicts written into the graded notebook's autograder cells.
- ``manual_grades``: manual grades kept across re-grades.
- ``journal``: the batch's journal, so that a killed run resumes.
- ``locks``: one batch per assignment, one gradebook writer at a time.
- ``secrets``: the course's secret grading seed and per-submission input keys.
"""
