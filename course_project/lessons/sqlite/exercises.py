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


@exercises.add("wal_options",
               "OPTIONS for a SQLite alias: WAL journal, commits that survive a power cut, BEGIN IMMEDIATE, "
               "wait up to 10 s for locks",
               hint="Three keys: init_command (PRAGMAs, separated by ;), transaction_mode and timeout (in which "
                    "unit?). Which synchronous level makes a WAL commit durable, and what is its default?")
def _(answer):
    assert isinstance(answer, dict), "answer with a dict, like DATABASES[...]['OPTIONS']"
    alias = alias_with("exercise", answer)
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal", "the file is not in WAL mode: init_command needs PRAGMA journal_mode=WAL"
            cursor.execute("PRAGMA busy_timeout")
            waits = cursor.fetchone()[0]
            assert waits == 10_000, f"this alias waits {waits / 1000:g} s for a lock, not 10: timeout is in seconds"
            cursor.execute("PRAGMA synchronous")
            level = cursor.fetchone()[0]
            assert level >= 2, (f"synchronous is {['OFF', 'NORMAL'][level]}: in WAL mode a power cut may lose the last "
                                "commits; keep the durable level")
        with CaptureQueriesContext(connection) as queries, transaction.atomic(using=alias):
            connection.cursor().execute("SELECT 1")
        assert queries.captured_queries[0]["sql"] == "BEGIN IMMEDIATE", \
            f"transactions start with {queries.captured_queries[0]['sql']!r}: set transaction_mode to IMMEDIATE"
        result = two_writers(alias)
        assert result["rows"] == ["A", "B"], f"two writers on these OPTIONS: {result}"
    finally:
        connection.close()


@exercises.add("strict_scores_sql",
               "CREATE TABLE scores(name, points): STRICT types, no NULLs, one row per name, points never negative",
               hint="STRICT is a table option after the closing parenthesis, and it checks types only. NULLs, "
                    "duplicates and ranges each need a column constraint of their own (NOT NULL, UNIQUE, CHECK).")
def _(answer):
    conn = sqlite3.connect(":memory:")
    conn.execute(answer)
    conn.execute("INSERT INTO scores (name, points) VALUES ('ada', 3)")
    conn.execute("INSERT INTO scores (name, points) VALUES ('bob', 0)")
    for values, hint in ((("cy", "lots"), "the table accepted text in an INTEGER column: add the STRICT keyword"),
                         (("cy", 2.5), "the table accepted 2.5 in an INTEGER column: add the STRICT keyword"),
                         ((None, 1), "the table accepted a NULL name: make both columns NOT NULL"),
                         (("cy", None), "the table accepted NULL points: make both columns NOT NULL"),
                         (("ada", 5), "the table accepted a second row for 'ada': one row per name"),
                         (("cy", -1), "the table accepted -1 points: points are never negative")):
        try:
            conn.execute("INSERT INTO scores (name, points) VALUES (?, ?)", values)
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(hint)


URGENT_TAG = "urgent"


def _is_urgent(note) -> bool:
    return note.data.get("priority", 0) >= 3 or URGENT_TAG in note.data.get("tags", [])


@exercises.add("urgent_titles",
               "urgent_titles(): titles of Notes (sqlite alias) with data['priority'] >= 3 or the tag 'urgent', "
               "by title, filtered in the database in one query",
               hint="Combine two conditions with Q(...) | Q(...). For the tag, SQLite's json_each(data, '$.tags') "
                    "turns the list into rows you can test with EXISTS: RawSQL can carry that into a filter. "
                    "A LIKE on the list's text (icontains) also matches tags that merely contain the word.")
def _(answer):
    from course_project.lessons.sqlite.models import Note

    notes = Note.objects.using("sqlite")
    token = "".join(random.choices(string.ascii_lowercase, k=6))
    cases = [  # both sides of each boundary, always; then random ones
        {"priority": 3}, {"priority": 2, "tags": ["work"]}, {"priority": 1, "tags": ["work", URGENT_TAG]},
        {"priority": 1, "tags": ["not urgent", "urgently", "Urgent"]}, {},
    ] + [{"priority": random.randint(1, 4), "tags": random.sample(["home", "work", URGENT_TAG, "admin"], 2)}
         for _ in range(4)]
    mine = [Note(title=f"check {token} {letter}", data=data)
            for letter, data in zip(random.sample("abcdefghijkl", len(cases)), cases)]
    notes.bulk_create(mine)
    statements = []

    def remember(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    connection = connections["sqlite"]
    try:
        expected = sorted(n.title for n in notes.all() if _is_urgent(n))
        with connection.execute_wrapper(remember):
            got = list(answer())
        assert got == expected, f"with the checker's notes added, expected {expected}, got {got}"
        assert len(statements) == 1, f"{len(statements)} queries: filter in the database, in one query"
        with connection.cursor() as cursor:  # the same statement again: how many rows did it bring back?
            cursor.execute(*statements[0])
            returned = len(cursor.fetchall())
        assert returned == len(expected), (f"your query brought back {returned} rows for {len(expected)} urgent "
                                           "notes: filter in the database (a WHERE clause), not in Python")
    finally:
        notes.filter(title__startswith=f"check {token} ").delete()
