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
