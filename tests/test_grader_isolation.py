"""The hidden graders run in a child process with limits: an answer that makes a grader's
computation explode ends that submission's checks with a message, the grading process stays
small, and the checks that finished keep their result.

The graders and the child process are real; the kernel is replaced by canned raw replies
(exactly what ``KernelCaller.reply`` hands over), because what is under test is what the
trusted side does with them.
"""

from __future__ import annotations

import resource
import textwrap
import time

from mlphys import channel
from course_lib.grading.isolation import GraderLimits, run_graders

GRADERS = textwrap.dedent('''
    import numpy as np
    import pytest


    @pytest.mark.grade_cell("net", weight=1)
    def test_width_is_positive(student):
        """the network has a positive width"""
        assert student.value("width") > 0, "the width must be positive"


    @pytest.mark.grade_cell("net", weight=1)
    def test_forward_pass(student):
        """a forward pass through the network gives finite numbers"""
        width = int(student.value("width"))
        hidden = np.ones((width, width))  # what a grader's forward pass costs for a network this wide
        assert np.isfinite(hidden.sum()), "the forward pass is not finite"


    @pytest.mark.grade_cell("other", weight=1)
    def test_grows_a_list(student):
        """the answer's list is read"""
        values = []
        for _ in range(int(student.value("rounds"))):
            values.append(bytearray(64 * 2**20))
        assert values is not None
''')


class CannedKernel:
    """The raw replies a kernel would give, by name (what the grading process hands to the child)."""

    def __init__(self, **values):
        self.values = values
        self.calls = []

    def reply(self, request_text: str, name: str, timeout: float):
        self.calls.append(name)
        return {"status": "ok", "result": channel.to_data(self.values[name])}


def _grade(tmp_path, kernel, points=None, **limits):
    graders = tmp_path / "graders"
    graders.mkdir(exist_ok=True)
    (graders / "test_net.py").write_text(GRADERS)
    return run_graders(graders, kernel, None, 7, "student/abc", points or {"net": 2.0, "other": 1.0}, 10.0,
                       GraderLimits(**limits))


def test_an_honest_answer_is_graded_in_the_child(tmp_path):
    run = _grade(tmp_path, CannedKernel(width=8, rounds=1), memory_mb=1024)
    assert run.stopped is None and run.internal_errors == []
    assert run.verdicts["net"].points == 2.0 and run.verdicts["other"].points == 1.0


def test_an_exploding_computation_fails_that_check_with_a_message_and_the_parent_stays_small(tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = _grade(tmp_path, CannedKernel(width=200_000, rounds=1), memory_mb=512)  # 320 GB for the forward pass
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    checks = {c.description: c for c in run.verdicts["net"].checks}
    assert checks["the network has a positive width"].passed
    forward = checks["a forward pass through the network gives finite numbers"]
    assert not forward.passed and "memory" in forward.message
    assert run.verdicts["net"].points == 1.0 and run.verdicts["other"].points == 1.0
    assert run.internal_errors == []
    assert grown_mb < 64, grown_mb


def test_a_child_killed_for_memory_keeps_finished_checks_and_names_the_limit(tmp_path):
    run = _grade(tmp_path, CannedKernel(width=8, rounds=10_000), memory_mb=256)
    assert run.verdicts["net"].points == 2.0  # finished before the explosion
    other = run.verdicts["other"].checks
    assert len(other) == 1 and not other[0].passed
    assert "memory" in other[0].message, other[0].message


def test_a_wall_time_limit_stops_the_graders(tmp_path):
    class SlowKernel(CannedKernel):
        def reply(self, request_text, name, timeout):
            time.sleep(5)
            return super().reply(request_text, name, timeout)

    run = _grade(tmp_path, SlowKernel(width=8, rounds=1), memory_mb=512, wall_time=1.5)
    assert run.stopped and "time limit" in run.stopped
    assert all(not c.passed for v in run.verdicts.values() for c in v.checks)
