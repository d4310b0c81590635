"""Trusted grading: run a submission's notebook, then judge it from outside the kernel.

The student's kernel only ever receives inputs and returns plain data (see
``channel``); hidden pytest graders in ``grader_tests/`` compute every verdict in the
trusted process (see ``plugin`` and ``execute``).
"""
