"""Notebook 01's exercises (reference answers: solutions.py).

The checker applies what the learner wrote: OPTIONS become a real alias on a file of their own,
SQL runs on an in-memory database, and functions run on notes the checker adds for the check.
"""
import random
import sqlite3
import string

from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from course_project.lessons.sqlite.files import alias_with
from course_project.lessons.sqlite.locking import two_writers
from course_project.runtime.checker import Exercises

exercises = Exercises("01_sqlite")


@exercises.add("wal_options", "OPTIONS for a SQLite alias: WAL journal, BEGIN IMMEDIATE, wait up to 10 s for locks")
def _(answer):
    assert isinstance(answer, dict), "answer with a dict, like DATABASES[...]['OPTIONS']"
    alias = alias_with("exercise", answer)
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal", "the file is not in WAL mode: init_command needs PRAGMA journal_mode=WAL"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 10_000, "wait at least 10 seconds for a lock: timeout is in seconds"
        with CaptureQueriesContext(connection) as queries, transaction.atomic(using=alias):
            connection.cursor().execute("SELECT 1")
        assert queries.captured_queries[0]["sql"] == "BEGIN IMMEDIATE", \
            f"transactions start with {queries.captured_queries[0]['sql']!r}: set transaction_mode to IMMEDIATE"
        result = two_writers(alias)
        assert result["rows"] == ["A", "B"], f"two writers on these OPTIONS: {result}"
    finally:
        connection.close()


@exercises.add("strict_scores_sql", "CREATE TABLE for a STRICT table scores(name TEXT NOT NULL, points INTEGER NOT NULL)")
def _(answer):
    conn = sqlite3.connect(":memory:")
    conn.execute(answer)
    conn.execute("INSERT INTO scores (name, points) VALUES ('ada', 3)")
    for values, hint in ((("bob", "lots"), "the table accepted text in an INTEGER column: add the STRICT keyword"),
                         ((None, 1), "the table accepted a NULL name: make both columns NOT NULL"),
                         (("cy", None), "the table accepted NULL points: make both columns NOT NULL")):
        try:
            conn.execute("INSERT INTO scores (name, points) VALUES (?, ?)", values)
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(hint)


@exercises.add("urgent_titles", "urgent_titles(): in one query, titles of Notes (sqlite alias) with data['priority'] >= 2, by title")
def _(answer):
    from course_project.lessons.sqlite.models import Note

    notes = Note.objects.using("sqlite")
    token = "".join(random.choices(string.ascii_lowercase, k=6))
    mine = [Note(title=f"check {token} {letter}", data={"priority": random.choice([1, 2, 3])})
            for letter in random.sample("abcdefgh", 8)]
    mine[0].data, mine[1].data = {"priority": 2}, {"priority": 1}  # both sides of the boundary, always
    notes.bulk_create(mine)
    try:
        expected = sorted(n.title for n in notes.all() if n.data.get("priority", 0) >= 2)
        with CaptureQueriesContext(connections["sqlite"]) as queries:
            got = list(answer())
        assert got == expected, f"with the checker's notes added, expected {expected}, got {got}"
        assert len(queries) == 1, f"{len(queries)} queries: filter in the database, in one query"
    finally:
        notes.filter(title__startswith=f"check {token} ").delete()
