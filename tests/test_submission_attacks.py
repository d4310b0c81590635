"""Submissions that try to fool the grader from inside the kernel earn nothing for what they get wrong."""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import PLANTED_SECRETS

ATTACKS = ["cheat_patch_numpy", "cheat_ipython_hooks", "cheat_fake_modules", "cheat_fake_grader_output"]


@pytest.fixture(scope="module")
def batch(graded_batch):
    return graded_batch("lecture01")


@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_scores_zero_on_every_autograded_task(batch, attack):
    assert batch.of(attack) == batch.expected(batch.variants[attack])
    assert sum(batch.of(attack).values()) == 0


def test_stderr_warnings_do_not_cost_points(batch):
    assert batch.of("stderr_warnings") == batch.max_points


def test_graded_cells_show_only_the_platform_verdict(batch):
    nb = nbformat.read(batch.autograded_notebook("cheat_fake_grader_output"), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "cost_gradient")
    text = json.dumps(cell.outputs)
    assert "Platform grader: 0 / 2 points" in text
    assert "2 / 2" not in text


def test_kernel_receives_inputs_only(batch):
    spy_log = batch.autograded_notebook("spy_on_grader").parent / "spy.log"
    records = [json.loads(line) for line in spy_log.read_text().splitlines()]
    grader_calls = [r for r in records if "mlphys.callee" in r["cell"]]
    assert grader_calls, "the spy saw no grader calls"
    # What the graders send (cells) and hand over (environment); the kernel's working
    # directory is its own copy, and hiding the rest of the disk is the sandbox's job.
    everything = json.dumps([{"cell": r["cell"], "env": r["env"]} for r in records])
    for secret in ("COURSE_GRADING_SEED", "grader_tests", "gradebook", str(batch.root)):
        assert secret not in everything, f"the kernel could see {secret!r}"
    kernel_env = {k: v for r in records for k, v in r["env"].items()}
    for name, value in {**PLANTED_SECRETS, "COURSE_GRADING_SEED": batch.seed}.items():
        assert name not in kernel_env, f"the kernel inherited ${name}"
        assert value not in everything or name == "COURSE_GRADING_SEED", f"the kernel saw the value of ${name}"
