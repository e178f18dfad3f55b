"""Reference answers for notebook 01 (checked by tests/test_01_sqlite.py)."""

wal_options = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 10,
}

strict_scores_sql = "CREATE TABLE scores (name TEXT NOT NULL, points INTEGER NOT NULL) STRICT"


def urgent_titles():
    from course_project.lessons.sqlite.models import Note

    return (Note.objects.using("sqlite").filter(data__priority__gte=2)
            .order_by("title").values_list("title", flat=True))
