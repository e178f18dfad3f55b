"""Notebook 12's exercises (reference answers: solutions.py)."""
from django.db import connections
from django.test.utils import CaptureQueriesContext

from course_project.runtime.checker import Exercises
from course_project.lessons.best_practices.models import Player

exercises = Exercises("12_best_practices")


@exercises.add("roster", "roster(): [(player, team)] ordered by player, in one query")
def _(answer):
    expected = [(p.name, p.team.name) for p in Player.objects.select_related("team").order_by("name")]
    assert expected, "run section 3 first: it creates the players"
    with CaptureQueriesContext(connections["default"]) as queries:
        got = [tuple(row) for row in answer()]
    assert got == expected, "wrong rows or order"
    assert len(queries.captured_queries) == 1, f"{len(queries.captured_queries)} queries: use select_related"


@exercises.add("find_players", "find_players(name): raw SQL with a parameter")
def _(answer):
    name = Player.objects.order_by("name").values_list("name", flat=True).first()
    assert list(answer(name)) == [name], "the exact name should match once"
    assert list(answer("x' OR '1'='1")) == [], "an injection attempt must match nothing"
