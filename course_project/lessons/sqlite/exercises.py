"""Notebook 01's exercises (reference answers: solutions.py).

The checker applies what the learner wrote: OPTIONS become a real alias on a file of their own,
SQL runs on an in-memory database, and functions run on notes the checker adds for the check.
"""

import random
import re
import sqlite3
import string

from django.db import OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext

from course_project.lessons.sqlite.files import alias_with
from course_project.runtime.checker import Exercises

exercises = Exercises("01_sqlite")


@exercises.add(
    "report_options",
    "OPTIONS for a reporting alias on the writers' file: a report's transaction never makes a writer "
    "wait, and the alias can never write",
    hint="Look again at what made the writer wait in section 5: a reader without WAL, and a read inside "
    "an IMMEDIATE atomic() block. Which PRAGMA in init_command switches the file, which one refuses "
    "writes on this connection, and which transaction_mode takes no lock at BEGIN?",
)
def _(answer):
    from course_project.lessons.sqlite.models import Hit

    assert isinstance(answer, dict), "answer with a dict, like DATABASES[...]['OPTIONS']"
    writer = alias_with("report_writer", {"timeout": 0.5})  # a new file: rollback journal, the default
    reports = alias_with("report", answer, same_file_as=writer)
    try:
        Hit.objects.using(writer).create(writer="W")
        with connections[reports].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            assert mode == "wal", (
                f"the file's journal_mode is {mode}: while a report reads, a writer cannot "
                "commit; switch the file to WAL in init_command"
            )
            cursor.execute("PRAGMA query_only")
            assert cursor.fetchone()[0] == 1, "this alias can still write: which PRAGMA makes a connection read-only?"
        try:
            Hit.objects.using(reports).create(writer="R")
        except OperationalError as error:
            assert "readonly" in str(error), f"a write through this alias failed, but not as read-only: {error}"
        else:
            raise AssertionError("a write through this alias succeeded: it must never write")
        connection = connections[reports]
        try:
            with CaptureQueriesContext(connection) as queries, transaction.atomic(using=reports):
                before = Hit.objects.using(reports).count()
                Hit.objects.using(writer).create(writer="W")  # a writer commits while the report is open
                after = Hit.objects.using(reports).count()
        except OperationalError as error:
            begin = queries.captured_queries[0]["sql"] if queries.captured_queries else "?"
            raise AssertionError(
                f"a report's atomic() block ended in {error!r}: this alias's transactions start "
                f"with {begin!r}, which takes the write lock"
            ) from None
        assert before == after == 1, f"the report saw {before} then {after} rows in one transaction"
    finally:
        connections[reports].close()
        connections[writer].close()


@exercises.add(
    "strict_scores_sql",
    "CREATE TABLE scores(name, points): STRICT types, no NULLs, one row per name, points never negative",
    hint="STRICT is a table option after the closing parenthesis, and it checks types only. NULLs, "
    "duplicates and ranges each need a column constraint of their own (NOT NULL, UNIQUE, CHECK).",
)
def _(answer):
    conn = sqlite3.connect(":memory:")
    conn.execute(answer)
    conn.execute("INSERT INTO scores (name, points) VALUES ('ada', 3)")
    conn.execute("INSERT INTO scores (name, points) VALUES ('bob', 0)")
    for values, hint in (
        (("cy", "lots"), "the table accepted text in an INTEGER column: add the STRICT keyword"),
        (("cy", 2.5), "the table accepted 2.5 in an INTEGER column: add the STRICT keyword"),
        ((None, 1), "the table accepted a NULL name: make both columns NOT NULL"),
        (("cy", None), "the table accepted NULL points: make both columns NOT NULL"),
        (("ada", 5), "the table accepted a second row for 'ada': one row per name"),
        (("cy", -1), "the table accepted -1 points: points are never negative"),
        ((b"\x00", 1), "the table accepted a BLOB as a name: names are text"),
    ):
        try:
            conn.execute("INSERT INTO scores (name, points) VALUES (?, ?)", values)
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(hint)
    strict = conn.execute("SELECT strict FROM pragma_table_list('scores')").fetchone()[0]
    assert strict == 1, "the rows were refused, but the table is not STRICT: add the STRICT keyword"


URGENT_TAG = "urgent"
POSITION = re.compile(r"\[\s*(#\s*-\s*)?\d+\s*\]")  # a JSON path's array index: $."tags"[0], $.tags[#-1]


def _is_urgent(note) -> bool:
    return note.data.get("priority", 0) >= 3 or URGENT_TAG in note.data.get("tags", [])


def _json_path(text: str) -> str:
    """The JSON path around the first array index in text (a parameter, or the SQL itself)."""
    match = re.search(r"\$[^\s',()]*?" + POSITION.pattern, text) or POSITION.search(text)
    return match.group()


@exercises.add(
    "urgent_titles",
    "urgent_titles(): titles of Notes (sqlite alias) with data['priority'] >= 3 or the tag 'urgent', "
    "by title, filtered in the database in one query",
    hint="Combine two conditions with Q(...) | Q(...). For the tag, SQLite's json_each(data, '$.tags') "
    "turns the list into rows you can test with EXISTS: RawSQL can carry that into a filter. "
    "A LIKE on the list's text (icontains) also matches tags that merely contain the word.",
)
def _(answer):
    from course_project.lessons.sqlite.models import Note

    notes = Note.objects.using("sqlite")
    token = "".join(random.choices(string.ascii_lowercase, k=6))
    cases = [  # both sides of each boundary, always; then random ones
        {"priority": 3},
        {"priority": 2, "tags": ["work"]},
        {"priority": 1, "tags": ["work", URGENT_TAG]},
        {"priority": 1, "tags": ["not urgent", "urgently", "Urgent"]},
        {},
        {"priority": 1, "tags": ["work"], "owner": URGENT_TAG},
        {"priority": 1, URGENT_TAG: True},
        {"priority": 1, "tags": ["home", "work", "admin", URGENT_TAG]},  # the tag anywhere in the list, not only first
        {"priority": 1, "tags": [f"t{i}" for i in range(random.randint(6, 12))] + [URGENT_TAG]},  # last, far along
        {"priority": 1, "tags": [URGENT_TAG] + [f"u{i}" for i in range(random.randint(3, 8))]},  # first, not last
    ] + [
        {
            "priority": random.randint(1, 4),
            "tags": random.sample(["home", "work", URGENT_TAG, "admin"], random.randint(1, 4)),
        }
        for _ in range(4)
    ]
    mine = [
        Note(title=f"check {token} {number:03d}", data=data)  # titles in a random order of the cases
        for number, data in zip(random.sample(range(len(cases)), len(cases)), cases, strict=True)
    ]
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
        paths = [
            text
            for sql, params in statements
            for text in (sql, *(params or ()))
            if isinstance(text, str) and POSITION.search(text)
        ]
        assert not paths, (
            f"your query looks a tag up by its position in the list ({_json_path(paths[0])}): the "
            "position of a tag is not known, the tag may be anywhere in a list of any length; "
            "test every element of the list"
        )
        assert got == expected, f"with the checker's notes added, expected {expected}, got {got}"
        assert len(statements) == 1, f"{len(statements)} queries: filter in the database, in one query"
        with connection.cursor() as cursor:  # the same statement again: how many rows did it bring back?
            cursor.execute(*statements[0])
            returned = len(cursor.fetchall())
        assert returned == len(expected), (
            f"your query brought back {returned} rows for {len(expected)} urgent "
            "notes: filter in the database (a WHERE clause), not in Python"
        )
    finally:
        notes.filter(title__startswith=f"check {token} ").delete()
