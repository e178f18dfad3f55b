"""Notebook 12's exercises (reference answers: solutions.py).

The checks add a team and players of their own (with names no one can know in advance, one of them with a
quote in it), call the learner's function, count its queries, and roll the additions back.
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
    """Run check(names) with three new players in a new team, inside a transaction that is rolled back.
    They are inserted in the order Bo, Ann, Cy, so that id order, name order and their reverses all differ."""
    token = secrets.token_hex(3)
    try:
        with transaction.atomic():
            team = Team.objects.create(name=f"Checkers {token}")
            names = [f"Bo {token}", f"Ann O'Hara {token}", f"Cy {token}"]
            Player.objects.bulk_create([Player(name=name, team=team) for name in names])
            check(names)
            raise _Rollback
    except _Rollback:
        pass


@exercises.add(
    "squads",
    "squads(): [(team, [players, newest first])] ordered by team, in exactly two queries, "
    "the players sorted by the database",
    hint="prefetch_related accepts a Prefetch object, and a Prefetch can carry a queryset of its own, "
    "with an order_by that is not the model's default.",
)
def _(answer):
    def check(names):
        expected = [(t.name, [p.name for p in t.players.order_by("-id")]) for t in Team.objects.order_by("name")]
        with CaptureQueriesContext(connections["default"]) as queries:
            got = [(team, list(players)) for team, players in answer()]
        assert [team for team, _ in got] == [team for team, _ in expected], (
            "wrong teams or team order (the checker added a team of its own)"
        )
        assert got == expected, "players in the wrong order: newest (highest id) first within each team"
        count = len(queries.captured_queries)
        assert count == 2, f"{count} queries, not 2: prefetch the players instead of asking per team"
        player_orders = [
            q["sql"].rsplit("ORDER BY", 1)[-1]
            for q in queries.captured_queries
            if 'FROM "practices_player"' in q["sql"] and "ORDER BY" in q["sql"]
        ]
        assert any('"practices_player"."id" DESC' in order for order in player_orders), (
            "the players were sorted in Python: let the database sort them (Prefetch with a queryset)"
        )

    _with_new_players(check)


def _statements(answer, names):
    """Call answer(names), recording the (sql, params) pairs handed to Django's cursor, before the driver
    binds them."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(record):
        found = list(answer(names))
    return found, sent


def _flat(params):
    """The parameter values, a list or tuple parameter (= ANY(%s)) opened one level."""
    for value in params or ():
        yield from (value if isinstance(value, (list, tuple)) else [value])


@exercises.add(
    "find_players",
    "find_players(names): the players whose name is in `names`, in name order, "
    "every name sent as a query parameter; [] for no names",
    hint="Build one %s placeholder per name for an IN (...) list and pass the names as the parameters "
    "(or let the ORM do it with name__in). An empty IN () is a syntax error: answer [] first.",
)
def _(answer):
    def check(names):
        try:
            assert list(answer(["x' OR '1'='1"])) == [], "an injection attempt must match nothing"
            assert list(answer([])) == [], "no names must give [] (an empty IN () is not valid SQL)"
            asked = [names[1], "Nobody at all", names[0]]  # Ann, then Bo: inserted as Bo, then Ann
            found, sent = _statements(answer, asked)
        except DatabaseError as error:
            raise AssertionError(
                f"the query failed ({type(error).__name__}): one %s per name, and the names as the parameters"
            ) from None
        wanted = sorted(names[:2])
        assert sorted(found) == wanted, f"find_players({asked!r}) returned {found}, not the two players asked for"
        assert found == wanted, f"find_players({asked!r}) returned {found}: not in name order"
        tokens = {name.split()[-1] for name in names}  # unique to this check: in the SQL only if pasted in
        assert not any(token in sql for sql, _ in sent for token in tokens), (
            "a name is part of the SQL text (escaped by hand?): pass every name as a parameter"
        )
        carried = [value for _, params in sent for value in _flat(params)]
        assert all(name in carried for name in names[:2]), (
            "not every name travelled as a parameter: one %s per name, with the names as params"
        )

    _with_new_players(check)
