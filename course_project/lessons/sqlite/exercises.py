"""Notebook 01's exercises (reference answers: solutions.py)."""
import sqlite3

from course_project.runtime.checker import Exercises

exercises = Exercises("01_sqlite")


@exercises.add("wal_options", "OPTIONS for a SQLite alias: WAL journal, BEGIN IMMEDIATE, wait up to 10 s for locks")
def _(answer):
    assert isinstance(answer, dict), "answer with a dict, like DATABASES[...]['OPTIONS']"
    assert str(answer.get("transaction_mode", "")).upper() == "IMMEDIATE", "set transaction_mode to IMMEDIATE"
    assert answer.get("timeout", 0) >= 10, "set timeout (seconds to wait for a lock) to 10 or more"
    conn = sqlite3.connect(":memory:")
    commands = [c for c in answer.get("init_command", "").split(";") if c.strip()]
    assert any("journal_mode" in c.lower() and "wal" in c.lower() for c in commands), \
        "init_command should contain PRAGMA journal_mode=WAL"
    for command in commands:
        conn.execute(command)  # every PRAGMA must be valid SQL


@exercises.add("strict_scores_sql", "CREATE TABLE for a STRICT table scores(name TEXT NOT NULL, points INTEGER NOT NULL)")
def _(answer):
    conn = sqlite3.connect(":memory:")
    conn.execute(answer)
    conn.execute("INSERT INTO scores (name, points) VALUES ('ada', 3)")
    try:
        conn.execute("INSERT INTO scores (name, points) VALUES ('bob', 'lots')")
    except sqlite3.IntegrityError:
        return
    raise AssertionError("the table accepted text in an INTEGER column: add the STRICT keyword")


@exercises.add("urgent_titles", "a function returning the titles of Notes (sqlite alias) with data['priority'] >= 2, by title")
def _(answer):
    from course_project.lessons.sqlite.models import Note

    expected = list(Note.objects.using("sqlite").filter(data__priority__gte=2)
                    .order_by("title").values_list("title", flat=True))
    assert expected, "run the notebook's cells that create the notes first"
    got = list(answer())
    assert got == expected, f"expected {expected}, got {got}"
