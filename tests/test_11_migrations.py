"""The migrations_lab history runs forwards and backwards; the throwaway app resets cleanly."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.migrations import solutions
from course_project.lessons.migrations.exercises import CONFLICT_WITH_WRITERS, exercises
from course_project.lessons.migrations.throwaway import ThrowawayApp
from course_project.lessons.migrations.zero_downtime.models import Edition


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
        app.models(
            "class Note(models.Model):\n    text = models.CharField(max_length=5)\n"
            "    done = models.BooleanField(default=False)\n"
        )
        app.manage("makemigrations", "throwaway")
        assert app.migration_files() == ["0001_initial.py", "0002_note_done.py"]
        app.delete_migration_files()
        assert "0001_initial.py" in app.manage("makemigrations", "throwaway")
        assert app.migration_files() == ["0001_initial.py"]
    finally:
        app.close()
    assert not app.root.exists()


@pytest.mark.django_db(transaction=True)
def test_unapply_target_checker_runs_the_learners_target():
    accepts(exercises, "unapply_target", solutions.unapply_target)
    rejects(exercises, "unapply_target", lambda app, name: "0004_book_title_idx", hint="has no single migration")
    rejects(exercises, "unapply_target", lambda app, name: name, hint="which keeps it applied")
    rejects(exercises, "unapply_target", lambda app, name: "zero", hint="unapplying only")
    # counting down the number works until an app's first migration (sessions has only 0001_initial)
    rejects(exercises, "unapply_target", lambda app, name: f"{int(name[:4]) - 1:04d}", hint="has no single migration")
    # ... and counting down with zero for a first migration works until the numbers skip (the checker's 0009)
    rejects(
        exercises,
        "unapply_target",
        lambda app, name: "zero" if name[:4] == "0001" else f"{int(name[:4]) - 1:04d}",
        hint="has no single migration",
    )
    assert columns() == ["id", "title", "writer", "isbn"]  # the checker migrated the app fully again


def _modes(statement, rollback=True):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute(
            "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'zero_downtime_edition'::regclass"
        )
        modes = {row[0] for row in cursor.fetchall()}
        transaction.set_rollback(rollback)
    return modes


def _keyword_guess(statement):
    return "ADD" in statement or "INDEX" in statement


def _reviewers_keywords(statement):
    return any(word in statement.upper() for word in ("INDEX", " ADD ", "TRIGGER", "DEFAULT"))


def _pro_forma_read_then_keywords(statement):
    """A read of pg_locks that ignores what it reads, then a guess from the words (review 2's mutant)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM pg_locks")
        transaction.set_rollback(True)
    return _reviewers_keywords(statement)


def _measured_in_two_transactions(statement):
    """The statement in a transaction of its own, rolled back; pg_locks read afterwards: its locks are gone."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'zero_downtime_edition'::regclass"
        )
        return bool({row[0] for row in cursor.fetchall()} & CONFLICT_WITH_WRITERS)


@pytest.mark.django_db(transaction=True)
def test_blocks_writers_checker_measures_locks_and_wants_no_trace():
    accepts(exercises, "blocks_writers", solutions.blocks_writers)
    rejects(exercises, "blocks_writers", lambda statement: True, hint="measure it")
    rejects(exercises, "blocks_writers", lambda statement: False, hint="measure it")
    rejects(exercises, "blocks_writers", _keyword_guess, hint="measure it")
    rejects(
        exercises,
        "blocks_writers",
        lambda statement: (_modes(statement), _keyword_guess(statement))[1],
        hint="must wait",
    )  # measured, but answered from the keywords: CREATE TRIGGER, SET DEFAULT...
    rejects(exercises, "blocks_writers", _measured_in_two_transactions, hint="measure it")
    rejects(exercises, "blocks_writers", _pro_forma_read_then_keywords, hint="measure it")
    rejects(
        exercises,
        "blocks_writers",
        lambda statement: (_modes(statement), _reviewers_keywords(statement))[1],
        hint="must wait",
    )  # every keyword list fails on `SELECT check_lock_...()`, whose text says nothing
    rejects(
        exercises, "blocks_writers", lambda statement: bool(_modes(statement) - {"AccessShareLock"}), hint="go on"
    )  # ROW EXCLUSIVE does not conflict with itself
    rejects(
        exercises, "blocks_writers", lambda statement: "AccessExclusiveLock" in _modes(statement), hint="must wait"
    )  # SHARE (CREATE INDEX, REINDEX) blocks writers too
    rejects(
        exercises,
        "blocks_writers",
        lambda statement: bool(_modes(statement, rollback=False) & CONFLICT_WITH_WRITERS),
        hint="roll it back",
    )
    rejects(
        exercises,
        "blocks_writers",
        lambda statement: "blocks" if _modes(statement) else None,
        hint="return True or False",
    )
    with connection.cursor() as cursor:  # the checker rebuilt the table after the answer that kept its changes
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = 'zero_downtime_edition'::regclass")
        assert cursor.fetchone()[0] == 1  # the primary key only


@pytest.mark.django_db(transaction=True)
def test_unapply_target_on_a_fixed_lab_answer_fails_on_djangos_own_apps_first():
    rejects(
        exercises,
        "unapply_target",
        lambda app, name: "0004" if app == "migrations_lab" else "zero",
        hint="would unapply",
    )


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


@pytest.mark.django_db(transaction=True)
def test_zero_downtime_history_ends_at_the_model_and_keeps_slug_required():
    out = StringIO()
    call_command("migrate", "zero_downtime", "0001", stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO zero_downtime_edition (title) SELECT 'E ' || n FROM generate_series(1, 12000) n")
    call_command("migrate", "zero_downtime", stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM zero_downtime_edition WHERE slug IS NULL")
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT is_nullable FROM information_schema.columns "
            "WHERE table_name = 'zero_downtime_edition' AND column_name = 'slug'"
        )
        assert cursor.fetchone()[0] == "NO"
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'edition_slug_not_null'")
        assert cursor.fetchone()[0] == 0
    edition = Edition.objects.create(title="Second Edition")  # the code shipped with the migrations fills slug
    assert edition.slug == f"second-edition-{edition.pk}"
    assert Edition.objects.get(pk=edition.pk).slug == edition.slug
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE zero_downtime_edition")
    loader = MigrationLoader(None, ignore_no_migrations=True)  # the model is where the migrations end
    changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(
        graph=loader.graph, trim_to_apps={"zero_downtime"}
    )
    assert "zero_downtime" not in changes


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "11_migrations.ipynb")
