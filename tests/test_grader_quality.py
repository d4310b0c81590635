"""Every hidden grader passes the reference, gives the blank release nothing, and catches its wrong-solution corpus."""

from __future__ import annotations

import pytest

from conftest import REPO, SECOND_SEED, course_env, in_xdist_worker, make_course, run, variants_for

ASSIGNMENTS = sorted(p.parent.name for p in REPO.glob("grader_tests/*/wrong_solutions"))


@pytest.fixture(autouse=True, scope="module")
def grade_the_selected_batches_in_the_background(request, graded_batch):
    if in_xdist_worker(request.config):
        return  # a worker sees every test but runs only its share; each batch is graded when first asked for
    selected = {item.callspec.params["assignment"] for item in request.session.items
                if item.module is request.module and hasattr(item, "callspec")}
    graded_batch.prefetch([a for a in ASSIGNMENTS if a in selected])


def _corpus(assignment: str) -> list[dict]:
    folder = REPO / "grader_tests" / assignment / "wrong_solutions"
    return [v for v in variants_for(assignment) if (folder / f"{v['name']}.py").exists()]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_submission_was_graded(graded_batch, assignment):
    batch = graded_batch(assignment)
    assert batch.grade_result.returncode == 0, batch.grade_result.stderr[-3000:]
    assert batch.corpus["failure"] is None, batch.corpus["failure"]
    assert batch.corpus["reference"] == batch.corpus["restored"] == batch.max_points, (
        "the reference kernel used for the wrong solutions did not score full marks before and after them"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_earns_every_autograded_point(graded_batch, assignment):
    batch = graded_batch(assignment)
    assert batch.of("reference") == batch.max_points


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_earns_nothing(graded_batch, assignment):
    batch = graded_batch(assignment)
    assert batch.of("blank") == {cell: 0.0 for cell in batch.max_points}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_corpus_has_three_wrong_solutions_per_autograded_cell(graded_batch, assignment):
    batch = graded_batch(assignment)
    per_cell = {cell: 0 for cell in batch.max_points}
    for variant in _corpus(assignment):
        for cell, score in batch.expected(variant).items():
            per_cell[cell] += score < batch.max_points[cell]
    assert min(per_cell.values()) >= 3, per_cell


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_wrong_solution_loses_exactly_its_points(graded_batch, assignment):
    batch = graded_batch(assignment)
    mismatches = {
        v["name"]: batch.of(v["name"])
        for v in _corpus(assignment)
        if batch.of(v["name"]) != batch.expected(v)
    }
    assert not mismatches, f"wrong solutions scored unexpectedly: {mismatches}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graders_hold_on_a_second_secret_seed(graded_batch, assignment):
    """Fresh secret inputs: the reference still earns everything.

    Answers hard-coded to one seed's inputs are in the corpus and fail on the first seed. The
    reference's notebook runs the same whatever the grading seed, so its kernel is graded again
    on the second seed's inputs rather than run a second time.
    """
    batch = graded_batch(assignment)
    assert batch.corpus["second_seed"] == batch.max_points


def test_check_graders_reports_each_wrong_solution_and_flags_a_grader_that_misses_one(tmp_path):
    """`course check-graders`, the instructor's command: ok per caught wrong solution, BAD and exit 1 for a miss.

    The batches above check the corpus inside `course grade`'s reference kernel; this runs the
    stand-alone command on one assignment, with one wrong solution whose header claims (falsely)
    that the graders give it every point.
    """
    root = make_course(tmp_path / "course", ["hd_logistic_softmax"])
    env = course_env(COURSE_GRADING_SEED="1")
    run(["nbgrader", "generate_assignment", "hd_logistic_softmax", "--force"], root, env)
    corpus = root / "grader_tests" / "hd_logistic_softmax" / "wrong_solutions"
    claimed = (corpus / "train_never_updates.py").read_text().replace("# loses: train", "# loses:")
    (corpus / "train_claims_full_marks.py").write_text(claimed)
    checked = run(["course", "check-graders", "hd_logistic_softmax", "--second-seed", SECOND_SEED], root, env, check=False)
    lines = checked.stdout.splitlines()
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert any(line.startswith("BAD train_claims_full_marks: got") for line in lines), checked.stdout
    caught = sorted(line.split()[1] for line in lines if line.startswith("ok ") and "seed" not in line)
    assert caught == sorted(p.stem for p in corpus.glob("*.py") if p.stem != "train_claims_full_marks"), checked.stdout
    assert f"ok  the reference on seed {SECOND_SEED}" in lines, checked.stdout
