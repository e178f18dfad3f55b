"""Notebook 12's exercises (reference answers: solutions.py).

The checks add players of their own (with names no one can know in advance, one of them with a
quote in it), call the learner's function, count its queries, and remove the players again.
"""
import secrets

from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext

from course_project.lessons.best_practices.models import Player, Team
from course_project.runtime.checker import Exercises

exercises = Exercises("12_best_practices")


class _Rollback(Exception):
    pass


def _with_new_players(check):
    """Run check(names) with two new players in a new team, inside a transaction that is rolled back."""
    token = secrets.token_hex(3)
    try:
        with transaction.atomic():
            team = Team.objects.create(name=f"Checkers {token}")
            names = [f"Ann O'Hara {token}", f"Bo {token}"]
            Player.objects.bulk_create([Player(name=name, team=team) for name in names])
            check(names)
            raise _Rollback
    except _Rollback:
        pass


@exercises.add("roster", "roster(): [(player, team)] ordered by player, in one query",
               hint="The team name lives in another table: ask the ORM to join it into the players' query "
                    "(select_related), and order by the player's name.")
def _(answer):
    def check(names):
        expected = [(p.name, p.team.name) for p in Player.objects.select_related("team").order_by("name")]
        with CaptureQueriesContext(connections["default"]) as queries:
            got = [tuple(row) for row in answer()]
        assert got == expected, "wrong rows or order (the checker added players of its own)"
        assert len(queries.captured_queries) == 1, f"{len(queries.captured_queries)} queries: use select_related"

    _with_new_players(check)


def _statements(answer, name):
    """Call answer(name), recording each statement it sends: (sql text, params)."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(record):
        found = list(answer(name))
    return found, sent


@exercises.add("find_players", "find_players(name): the players called `name`, safe against SQL injection, "
                               "with the name sent as a query parameter",
               hint="Never put the name into the SQL text yourself, escaped or not: give it to the driver, "
                    "Player.objects.raw(sql, [name]) with %s in the SQL, or the ORM's filter(name=name).")
def _(answer):
    def check(names):
        assert list(answer("x' OR '1'='1")) == [], "an injection attempt must match nothing"
        for name in names:
            try:
                found, sent = _statements(answer, name)
            except DatabaseError as error:
                raise AssertionError(f"a name with a quote broke the query ({type(error).__name__}): "
                                     "pass the name as a parameter") from None
            assert found == [name], f"find_players({name!r}) returned {found}"
            token = name.split()[-1]  # unique to this check: it can only be in the SQL if the name was pasted in
            assert not any(token in sql for sql, _ in sent), \
                "the name is part of the SQL text (escaped by hand?): pass it as a parameter, %s with [name]"
            assert any(name in (params or ()) for _, params in sent), \
                "no statement carried the name as a parameter: pass it as a parameter, %s with [name]"

    _with_new_players(check)
