import sqlite3

import pytest
from django.db import connections

from course_project.lessons.sqlite import solutions
from course_project.lessons.sqlite.exercises import exercises
from course_project.lessons.sqlite.files import fresh_database, tables
from course_project.lessons.sqlite.locking import two_writers
from course_project.lessons.sqlite.models import Note

pytestmark = pytest.mark.django_db(databases=["sqlite", "sqlite_wal"], transaction=True)


def test_migrations_build_a_fresh_file():
    fresh_database("sqlite")
    assert tables("sqlite") == ["django_migrations", "sqlitelab_hit", "sqlitelab_note"]


def test_default_settings_lock_the_second_writer():
    fresh_database("sqlite")
    result = two_writers("sqlite")
    assert result["A"] == "committed"
    assert result["B"] == "OperationalError: database is locked"
    assert result["rows"] == ["A"]


def test_wal_and_immediate_transactions_let_both_writers_commit():
    fresh_database("sqlite_wal")
    result = two_writers("sqlite_wal")
    assert result == {"A": "committed", "B": "committed", "rows": ["A", "B"]}
    with connections["sqlite_wal"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_solutions_pass_and_wrong_answers_fail():
    fresh_database("sqlite")
    Note.objects.using("sqlite").bulk_create([Note(title="b", data={"priority": 2}),
                                              Note(title="a", data={"priority": 1})])
    assert exercises.check(vars(solutions)).all_passed, str(exercises.check(vars(solutions)))
    assert exercises.check({}).passed == 0
    wrong = {"wal_options": {"transaction_mode": "DEFERRED", "timeout": 10},
             "strict_scores_sql": "CREATE TABLE scores (name TEXT NOT NULL, points INTEGER NOT NULL)",
             "urgent_titles": lambda: ["a", "b"]}
    assert exercises.check(wrong).passed == 0


def test_strict_solution_really_is_strict():
    db = sqlite3.connect(":memory:")
    db.execute(solutions.strict_scores_sql)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO scores VALUES ('x', 'many')")
