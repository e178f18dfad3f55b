"""What a learner meets in every notebook: objectives and its time first, key points last, a hint and the
solution for every exercise, no maintainer talk, a bounded length."""

import ast
import json
import re

import pytest

from course_project.env import PROJECT_ROOT
from course_project.lessons import LESSONS

MAX_CELLS = 60
MAINTAINER_TALK = re.compile(r"(?i)\bnbval\b|sanitiz|the course's (CI|test suite|tests)|\bCI (runs|machine)")


def cells(lesson):
    return json.loads((PROJECT_ROOT / "notebooks" / lesson.notebook).read_text())["cells"]


def markdown(lesson):
    return ["".join(cell["source"]) for cell in cells(lesson) if cell["cell_type"] == "markdown"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_opens_with_objectives_and_the_course_maps_time(lesson):
    first = markdown(lesson)[0]
    assert "By the end of this notebook you will be able to" in first, "the first cell states the objectives"
    assert lesson.time_range in first, f"the first cell gives the course map's time, {lesson.time_range}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_ends_with_key_points_then_exercises_and_stays_short(lesson):
    assert any("key points" in text.lower() for text in markdown(lesson)[-5:]), "key points near the end"
    assert len(cells(lesson)) <= MAX_CELLS


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_prose_talks_to_the_learner(lesson):
    for text in markdown(lesson):
        assert not MAINTAINER_TALK.search(text), f"maintainer talk: {MAINTAINER_TALK.search(text)[0]!r}"


def literal_or_source(node) -> str:
    """A hint written as a string, or the expression that builds one (a name, a call)."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def registered(lesson) -> dict:
    """{exercise: hint} as exercises.py registers them, read from its source (17's needs Django 6 to import)."""
    tree = ast.parse((PROJECT_ROOT / "course_project" / "lessons" / lesson.slug / "exercises.py").read_text())
    found = {}
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and ast.unparse(call.func) == "exercises.add" and call.args:
            hint = next((k.value for k in call.keywords if k.arg == "hint"), None)
            found[ast.literal_eval(call.args[0])] = "" if hint is None else literal_or_source(hint)
    return found


def defined(lesson) -> set:
    tree = ast.parse((PROJECT_ROOT / "course_project" / "lessons" / lesson.slug / "solutions.py").read_text())
    names = {node.name for node in tree.body if hasattr(node, "name")}
    return names | {t.id for node in tree.body for t in getattr(node, "targets", []) if isinstance(t, ast.Name)}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.number)
def test_every_exercise_has_a_hint_and_a_solution_the_notebook_points_to(lesson):
    exercises = registered(lesson)
    for name, hint in exercises.items():
        assert hint.strip(), f"{name}: no hint"
        assert name in defined(lesson), f"{name}: no reference solution in solutions.py"
    if exercises:
        text = "\n".join(markdown(lesson))
        assert "exercises.hint(" in text and "exercises.solution(" in text, "the notebook says how to ask for them"


def test_registered_reads_what_the_checker_registers():
    from course_project.lessons.sqlite.exercises import exercises

    found = registered(LESSONS[1])
    assert list(found) == exercises.names and found == exercises.hints
    assert literal_or_source(ast.parse("HINTS['x']").body[0].value) == "HINTS['x']"
