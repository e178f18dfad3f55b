import sqlite3
from functools import reduce
from operator import or_

import pytest
from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.sqlite import solutions
from course_project.lessons.sqlite.exercises import exercises
from course_project.lessons.sqlite.files import alias_with, fresh_database, tables
from course_project.lessons.sqlite.locking import reader_and_writer, two_writers
from course_project.lessons.sqlite.models import Note

# Tests on the lesson's aliases use the test databases. Aliases that the lesson registers at run time
# (files.alias_with) are unknown to Django's test case, so those tests only lift pytest-django's blocker.
on_test_databases = pytest.mark.django_db(databases=["sqlite", "sqlite_wal"], transaction=True)


@pytest.fixture
def run_time_aliases(django_db_blocker):
    with django_db_blocker.unblock():
        yield


WAL_ONLY = {"init_command": "PRAGMA journal_mode=WAL", "timeout": 5}
IMMEDIATE_ONLY = {"transaction_mode": "IMMEDIATE", "timeout": 5}


@on_test_databases
def test_migrations_build_a_fresh_file():
    fresh_database("sqlite")
    assert tables("sqlite") == ["django_migrations", "sqlitelab_hit", "sqlitelab_note"]


@on_test_databases
def test_default_settings_lock_the_second_writer():
    fresh_database("sqlite")
    result = two_writers("sqlite")
    assert result["A"] == "committed"
    assert result["B"] == "OperationalError: database is locked"
    assert result["rows"] == ["A"]


def test_wal_alone_does_not_save_the_second_writer(run_time_aliases):
    assert two_writers(alias_with("wal_only", WAL_ONLY)) == {
        "A": "committed",
        "B": "OperationalError: database is locked",
        "rows": ["A"],
    }


def test_immediate_alone_lets_both_writers_commit(run_time_aliases):
    assert two_writers(alias_with("immediate_only", IMMEDIATE_ONLY)) == {
        "A": "committed",
        "B": "committed",
        "rows": ["A", "B"],
    }


@on_test_databases
def test_wal_and_immediate_transactions_let_both_writers_commit():
    fresh_database("sqlite_wal")
    result = two_writers("sqlite_wal")
    assert result == {"A": "committed", "B": "committed", "rows": ["A", "B"]}
    with connections["sqlite_wal"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_reader_blocks_the_writer_only_without_wal(run_time_aliases):
    journal = reader_and_writer(alias_with("journal", {"timeout": 1}))
    assert journal["writer"] == "OperationalError: database is locked" and journal["writer took"] >= 0.9
    wal = reader_and_writer(alias_with("wal_only", WAL_ONLY))
    assert wal["writer"] == "committed" and wal["writer took"] < 0.9
    assert journal["reader saw"] == wal["reader saw"] == [0, 0]  # the reader's snapshot does not move


def test_the_stubs_match_the_checker():
    assert_stubs_match(exercises, "01_sqlite.ipynb")


def test_report_options(run_time_aliases):
    accepts(exercises, "report_options", solutions.report_options)
    # DEFERRED is Django's default, so leaving transaction_mode out is right too
    accepts(exercises, "report_options", {"init_command": "PRAGMA query_only=ON; PRAGMA journal_mode=WAL"})
    # the sqlite_wal alias's OPTIONS, as the notebook prints them: it writes, and IMMEDIATE
    rejects(exercises, "report_options", settings.DATABASES["sqlite_wal"]["OPTIONS"], hint="can still write")
    rejects(
        exercises,
        "report_options",
        {**solutions.report_options, "transaction_mode": "IMMEDIATE"},
        hint="which takes the write lock",
    )
    rejects(exercises, "report_options", {"init_command": "PRAGMA query_only=ON"}, hint="switch the file to WAL")
    rejects(exercises, "report_options", {"init_command": "PRAGMA journal_mode=WAL"}, hint="can still write")
    rejects(exercises, "report_options", "PRAGMA query_only=ON", hint="answer with a dict")


def test_strict_scores_sql():
    accepts(exercises, "strict_scores_sql", solutions.strict_scores_sql)
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name TEXT NOT NULL UNIQUE, points INTEGER NOT NULL CHECK (points >= 0))",
        hint="add the STRICT keyword",
    )
    # section 5's STRICT table, with this exercise's names
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name TEXT, points INTEGER) STRICT",
        hint="make both columns NOT NULL",
    )
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name TEXT NOT NULL, points INTEGER NOT NULL) STRICT",
        hint="one row per name",
    )
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name TEXT NOT NULL UNIQUE, points INTEGER NOT NULL) STRICT",
        hint="never negative",
    )
    # an ANY column in a STRICT table stores a BLOB name
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name ANY NOT NULL UNIQUE, points INTEGER NOT NULL CHECK (points >= 0)) STRICT",
        hint="a BLOB as a name",
    )
    # CHECKs on typeof() refuse every bad row, but the table is not STRICT
    rejects(
        exercises,
        "strict_scores_sql",
        "CREATE TABLE scores (name TEXT NOT NULL UNIQUE CHECK (typeof(name) = 'text'), points INTEGER NOT NULL "
        "CHECK (typeof(points) = 'integer' AND points >= 0))",
        hint="the table is not STRICT",
    )


@on_test_databases
def test_urgent_titles():
    fresh_database("sqlite")
    notes = Note.objects.using("sqlite")
    notes.bulk_create([Note(title="b", data={"priority": 3}), Note(title="a", data={"priority": 1})])
    accepts(exercises, "urgent_titles", solutions.urgent_titles)
    constant = list(solutions.urgent_titles())
    rejects(exercises, "urgent_titles", lambda: constant, hint="with the checker's notes added")
    # one query, but every row comes back and Python filters
    rejects(
        exercises,
        "urgent_titles",
        lambda: [
            n.title
            for n in notes.order_by("title")
            if n.data.get("priority", 0) >= 3 or "urgent" in n.data.get("tags", [])
        ],
        hint="filter in the database (a WHERE clause), not in Python",
    )
    # the priority alone
    rejects(
        exercises,
        "urgent_titles",
        lambda: notes.filter(data__priority__gte=3).order_by("title").values_list("title", flat=True),
        hint="with the checker's notes added",
    )
    # a LIKE on the list's text: "not urgent" and "Urgent" match too
    for needle in ("urgent", '"urgent"'):
        rejects(
            exercises,
            "urgent_titles",
            lambda needle=needle: (
                notes.filter(Q(data__tags__icontains=needle) | Q(data__priority__gte=3))
                .order_by("title")
                .values_list("title", flat=True)
            ),
            hint="with the checker's notes added",
        )
    # a regular expression on the whole JSON document: "urgent" as another key's value, or as a key, matches too
    rejects(
        exercises,
        "urgent_titles",
        lambda: (
            notes.filter(Q(data__regex=r'"urgent"') | Q(data__priority__gte=3))
            .order_by("title")
            .values_list("title", flat=True)
        ),
        hint="with the checker's notes added",
    )
    # a regular expression for "urgent" as the list's last element: the tag may be anywhere
    rejects(
        exercises,
        "urgent_titles",
        lambda: (
            notes.filter(Q(data__tags__regex=r'"urgent"\]$') | Q(data__priority__gte=3))
            .order_by("title")
            .values_list("title", flat=True)
        ),
        hint="with the checker's notes added",
    )
    # the tag looked up by position: the first two places of the list, then the first four
    for places in (2, 4):
        rejects(
            exercises,
            "urgent_titles",
            lambda places=places: (
                notes.filter(
                    reduce(or_, (Q(**{f"data__tags__{i}": "urgent"}) for i in range(places)), Q(data__priority__gte=3))
                )
                .order_by("title")
                .values_list("title", flat=True)
            ),
            hint='($."tags"[0]): the position of a tag is not known',
        )
    # the same in raw SQL, up to the last place
    rejects(
        exercises,
        "urgent_titles",
        lambda: (
            notes.filter(
                Q(data__priority__gte=3)
                | Q(
                    pk__in=RawSQL(
                        "SELECT id FROM sqlitelab_note WHERE json_extract(data, '$.tags[#-1]') = 'urgent'", []
                    )
                )
            )
            .order_by("title")
            .values_list("title", flat=True)
        ),
        hint="($.tags[#-1]): the position of a tag is not known",
    )
    # right rows, one query per note
    rejects(
        exercises,
        "urgent_titles",
        lambda: [
            n.title
            for n in notes.order_by("title")
            if notes.filter(pk=n.pk, data__priority__gte=3).exists() or "urgent" in n.data.get("tags", [])
        ],
        hint="filter in the database, in one query",
    )
    assert not notes.filter(title__startswith="check ").exists()  # the checker tidied up


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_strict_solution_really_is_strict():
    db = sqlite3.connect(":memory:")
    db.execute(solutions.strict_scores_sql)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO scores VALUES ('x', 'many')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO scores VALUES ('x', -3)")
