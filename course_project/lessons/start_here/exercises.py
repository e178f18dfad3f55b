"""Notebook 00's exercises (reference answers: solutions.py).

The checker opens connections of its own, changes them, and hands them to the learner's function,
so only a function that really asks the server can pass.
"""

import random
from contextlib import contextmanager

from django.db import connections

from course_project.lessons.mysql_mariadb.modes import MODES
from course_project.runtime.checker import Exercises

exercises = Exercises("00_start_here")


@contextmanager
def fresh(alias):
    """A new Django connection to `alias`, separate from the one the notebook uses; closed afterwards."""
    connection = connections.create_connection(alias)
    try:
        yield connection
    finally:
        connection.close()


def _ask(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@exercises.add(
    "is_read_only",
    "is_read_only(connection): True when the connection's session refuses writes",
    hint="Open a cursor on the connection you are given (connection.cursor()), not on connections[...]: "
    "the checker's sessions are its own. Which SHOW answers for the session, and what does it "
    "return?",
)
def _(answer):
    with (
        fresh("default") as primary,
        fresh("replica") as replica,
        fresh("default") as locked,
        fresh("default") as one_transaction,
    ):
        with locked.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = on")  # this session's later transactions
        one_transaction.set_autocommit(False)  # a transaction that stays open while the answer runs
        try:
            with one_transaction.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")  # this transaction only
            for name, connection in (
                ("the primary", primary),
                ("a primary session set to read-only", locked),
                ("the replica", replica),
                ("a primary transaction set to read-only", one_transaction),
            ):
                expected = _ask(connection, "SHOW transaction_read_only") == "on"
                got = answer(connection)
                assert isinstance(got, bool), f"return a bool, not {type(got).__name__}"
                assert got == expected, (
                    f"on {name} the answer is {expected}: ask the connection itself, not its "
                    "alias, the server's role or the session's default"
                )
        finally:
            one_transaction.rollback()
            one_transaction.set_autocommit(True)


@exercises.add(
    "sql_modes",
    "sql_modes(connection): the set of sql_mode names the connection's session runs with",
    hint="Ask the connection you are given for @@SESSION.sql_mode: one comma-separated string. "
    "What does ''.split(',') give?",
)
def _(answer):
    chosen = set(random.sample(MODES, 3))
    with fresh("legacy") as django_default, fresh("legacy") as changed, fresh("legacy") as empty:
        with changed.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = %s", [",".join(sorted(chosen))])
        with empty.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = ''")
        django_modes = set(_ask(django_default, "SELECT @@SESSION.sql_mode").split(","))
        for connection, expected in ((django_default, django_modes), (changed, chosen), (empty, set())):
            got = answer(connection)
            assert isinstance(got, (set, frozenset)), f"return a set of mode names, not {type(got).__name__}"
            assert got != {""}, "a session with no modes answers '': return an empty set, not {''}"
            assert got == expected, (
                f"this session runs with {sorted(expected)}: ask the session "
                "(@@SESSION.sql_mode), not the server's default or the settings"
            )
