"""The migrations_lab history runs forwards and backwards; the throwaway app resets cleanly."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from course_project.lessons.migrations import solutions
from course_project.lessons.migrations.exercises import exercises
from course_project.lessons.migrations.throwaway import ThrowawayApp


def columns():
    with connection.cursor() as cursor:
        if "migrations_lab_book" not in connection.introspection.table_names(cursor):
            return None
        return [c.name for c in connection.introspection.get_table_description(cursor, "migrations_lab_book")]


@pytest.mark.django_db(transaction=True)
def test_history_backwards_and_forwards_with_the_data_migration():
    out = StringIO()
    try:
        call_command("migrate", "migrations_lab", "0002", stdout=out)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO migrations_lab_book (title, author, isbn) VALUES ('Emma', 'Austen', '')")
        call_command("migrate", "migrations_lab", stdout=out)
        assert columns() == ["id", "title", "writer", "isbn"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT isbn FROM migrations_lab_book")
            assert cursor.fetchone()[0].startswith("TMP-")
        call_command("migrate", "migrations_lab", "0003", stdout=out)
        assert columns() == ["id", "title", "author", "isbn"]
        call_command("migrate", "migrations_lab", "zero", stdout=out)
        assert columns() is None
    finally:
        call_command("migrate", "migrations_lab", stdout=out)


@pytest.mark.timeout(120)
@pytest.mark.django_db(transaction=True)
def test_reset_recipe_on_a_throwaway_app_leaves_one_migration():
    app = ThrowawayApp()
    try:
        app.models("class Note(models.Model):\n    text = models.CharField(max_length=5)\n")
        app.manage("makemigrations", "throwaway")
        app.models("class Note(models.Model):\n    text = models.CharField(max_length=5)\n"
                   "    done = models.BooleanField(default=False)\n")
        app.manage("makemigrations", "throwaway")
        assert app.migration_files() == ["0001_initial.py", "0002_note_done.py"]
        app.delete_migration_files()
        assert "0001_initial.py" in app.manage("makemigrations", "throwaway")
        assert app.migration_files() == ["0001_initial.py"]
    finally:
        app.close()
    assert not app.root.exists()


def test_solutions_pass_and_wrong_answers_fail():
    assert exercises.check(vars(solutions)).all_passed
    assert exercises.check({}).passed == 0
    assert exercises.check({"undo_rename_target": "0005", "record_without_running": {"fake_initial": True}}).passed == 0
