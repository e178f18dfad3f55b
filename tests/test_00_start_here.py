"""Notebook 00's exercises: the reference answers pass, constants and plausible mistakes fail."""

import pytest
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.start_here import solutions
from course_project.lessons.start_here.exercises import exercises

pytestmark = pytest.mark.django_db(databases=["replica", "legacy", "default"])


def _first(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_the_stubs_match_the_checker():
    assert_stubs_match(exercises, "00_start_here.ipynb")


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_is_read_only():
    accepts(exercises, "is_read_only", solutions.is_read_only)
    rejects(exercises, "is_read_only", lambda connection: True, hint="ask the connection itself")
    rejects(exercises, "is_read_only", lambda connection: False, hint="ask the connection itself")
    # the alias is not the answer: a primary session can be read-only too
    rejects(exercises, "is_read_only", lambda connection: connection.alias == "replica", hint="on a primary session")
    # nor is the server's role: pg_is_in_recovery() is False on the primary, read-only session or not
    rejects(
        exercises,
        "is_read_only",
        lambda connection: _first(connection, "SELECT pg_is_in_recovery()"),
        hint="on a primary session set to read-only the answer is True",
    )
    rejects(
        exercises,
        "is_read_only",
        lambda connection: _first(connection, "SHOW transaction_read_only"),
        hint="return a bool, not str",
    )
    # the session's default misses a single read-only transaction (and the standby, where it is off)
    rejects(
        exercises,
        "is_read_only",
        lambda connection: (
            _first(connection, "SELECT pg_is_in_recovery()")
            or _first(connection, "SHOW default_transaction_read_only") == "on"
        ),
        hint="on a primary transaction set to read-only the answer is True",
    )


def test_sql_modes():
    accepts(exercises, "sql_modes", solutions.sql_modes)
    rejects(exercises, "sql_modes", lambda connection: {"STRICT_TRANS_TABLES"}, hint="ask the session")
    # a plain split turns the empty mode into {''}
    rejects(
        exercises,
        "sql_modes",
        lambda connection: set(_first(connection, "SELECT @@SESSION.sql_mode").split(",")),
        hint="return an empty set",
    )
    rejects(
        exercises,
        "sql_modes",
        lambda connection: _first(connection, "SELECT @@SESSION.sql_mode"),
        hint="return a set of mode names, not str",
    )
    # the server's default is not what Django's session runs with
    rejects(
        exercises,
        "sql_modes",
        lambda connection: set(_first(connection, "SELECT @@GLOBAL.sql_mode").split(",")),
        hint="not the server's default",
    )
