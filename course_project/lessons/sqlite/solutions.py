"""Reference answers for notebook 01 (checked by tests/test_01_sqlite.py)."""

report_options = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA query_only=ON",
    "transaction_mode": "DEFERRED",
    "timeout": 5,
}

strict_scores_sql = """CREATE TABLE scores (
    name TEXT NOT NULL UNIQUE,
    points INTEGER NOT NULL CHECK (points >= 0)
) STRICT"""


def urgent_titles():
    from django.db.models import BooleanField, Q
    from django.db.models.expressions import RawSQL

    from course_project.lessons.sqlite.models import Note

    tagged = RawSQL(
        "EXISTS (SELECT 1 FROM json_each(sqlitelab_note.data, '$.tags') WHERE json_each.value = %s)",
        ["urgent"],
        output_field=BooleanField(),
    )
    return (
        Note.objects.using("sqlite")
        .alias(tagged=tagged)
        .filter(Q(tagged=True) | Q(data__priority__gte=3))
        .order_by("title")
        .values_list("title", flat=True)
    )
