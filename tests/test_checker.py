"""The exercise checker every notebook ends with."""

from course_project.runtime.checker import NOT_ATTEMPTED, Exercises

exercises = Exercises("demo")


@exercises.add("answer", "the answer to everything")
def _(answer):
    assert answer == 42, "not quite: think bigger"


@exercises.add("shout", "a function that upper-cases text")
def _(answer):
    assert answer("hi") == "HI"


def test_stubs_are_not_attempted():
    report = exercises.check({"answer": ..., "shout": ...})
    assert [r.passed for r in report.results] == [None, None]
    assert report.passed == 0 and not report.all_passed
    assert NOT_ATTEMPTED in str(report)


def test_wrong_answers_get_their_hint_and_errors_do_not_crash():
    report = exercises.check({"answer": 41, "shout": lambda text: text.lower() + 1})
    assert [r.passed for r in report.results] == [False, False]
    assert "think bigger" in report.results[0].message
    assert report.results[1].message.startswith("TypeError")


def test_right_answers_pass():
    report = exercises.check({"answer": 42, "shout": str.upper})
    assert report.all_passed
    assert str(report).splitlines()[0] == "demo: 2/2 exercises passed"


def test_a_stuck_learner_gets_a_hint_then_the_reference_source(tmp_path, monkeypatch):
    import json

    from course_project.lessons.sqlite import solutions
    from course_project.lessons.sqlite.exercises import exercises as sqlite_exercises

    monkeypatch.setenv("COURSE_STATE_DIR", str(tmp_path))
    assert str(sqlite_exercises.hint("urgent_titles")).startswith("Hint for urgent_titles: ")
    shown = sqlite_exercises.solution("urgent_titles")
    import inspect

    assert shown == inspect.getsource(solutions.urgent_titles).rstrip()
    assert shown._repr_markdown_().startswith("```python\n")
    assert sqlite_exercises.solution("report_options").startswith("report_options = {")
    assert eval(sqlite_exercises.solution_source("strict_scores_sql").split("=", 1)[1]) == solutions.strict_scores_sql
    record = json.loads((tmp_path / "progress" / "01_sqlite.json").read_text())
    assert record["solutions_viewed"] == ["urgent_titles", "report_options"]
    sqlite_exercises.check({})  # a later check keeps what was viewed
    record = json.loads((tmp_path / "progress" / "01_sqlite.json").read_text())
    assert record["solutions_viewed"] == ["urgent_titles", "report_options"] and record["total"] == 3


def test_an_unknown_exercise_names_the_real_ones():
    import pytest

    with pytest.raises(KeyError, match="its exercises are answer, shout"):
        exercises.hint("answr")
