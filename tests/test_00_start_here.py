import pytest

from course_project.lessons.start_here.exercises import exercises


@pytest.mark.django_db(databases=["replica", "legacy", "default"])
def test_solutions_pass_and_empty_answers_do_not():
    from course_project.lessons.start_here import solutions  # it asks the live server at import

    assert exercises.check(vars(solutions)).all_passed, str(exercises.check(vars(solutions)))
    assert exercises.check({}).passed == 0
    assert not exercises.check({"replica_is_read_only": lambda: "yes", "legacy_sql_mode": ""}).passed
