"""The `course` command names the problem and exits non-zero instead of printing a traceback."""

from conftest import run


def _fails_with(result, *phrases):
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def test_outside_a_course(tmp_path):
    _fails_with(run(["course", "grade", "lecture01"], tmp_path, check=False), "no course found", "nbgrader_config.py")


def test_unknown_assignment(course):
    _fails_with(run(["course", "grade", "lecture99"], course, check=False), "no assignment 'lecture99'", "lecture01")


def test_nothing_collected_yet(course):
    _fails_with(run(["course", "grade", "lecture01"], course, check=False), "nbgrader collect lecture01")


def test_grades_before_generate(course):
    _fails_with(run(["course", "grades", "lecture01"], course, check=False), "generate_assignment")


def test_unknown_student(course):
    (course / "submitted" / "someone" / "lecture01").mkdir(parents=True)
    _fails_with(run(["course", "grade", "lecture01", "--student", "nobody"], course, check=False), "nobody")


def test_challenge_scoring_is_reachable_from_the_course_command(tmp_path):
    result = run(["course", "challenge", "score", "maze", str(tmp_path), "--episodes", "5", "--seed", "3"], tmp_path, check=False)
    record = __import__("json").loads(result.stdout)
    assert result.returncode == 1 and record["accepted"] is False
    assert "maze_policy.keras is missing" in record["message"]
