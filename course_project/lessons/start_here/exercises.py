"""Notebook 00's exercises (reference answers: solutions.py)."""
from django.db import connections

from course_project.runtime.checker import Exercises

exercises = Exercises("00_start_here")


def _ask(alias, sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@exercises.add("replica_is_read_only", "a function returning the replica's pg_is_in_recovery() as a bool")
def _(answer):
    got = answer()
    assert isinstance(got, bool), f"return a bool, not {type(got).__name__}"
    assert got == _ask("replica", "SELECT pg_is_in_recovery()"), "ask the replica alias, not default"


@exercises.add("legacy_sql_mode", "the sql_mode of Django's connection to the legacy alias")
def _(answer):
    assert answer == _ask("legacy", "SELECT @@sql_mode"), "run SELECT @@sql_mode on connections['legacy']"
