"""A migration that fails half-way, applied the way `migrate` applies it."""

from django.db import DatabaseError, connections, migrations, models
from django.db.migrations.executor import MigrationExecutor

TABLE = "mysql_lab_ledger"


class LedgerThenFail(migrations.Migration):
    """Step 1 creates a table; step 2 fails. Never on disk: built for the lesson only."""

    operations = [
        migrations.CreateModel(
            "Ledger", [("id", models.AutoField(primary_key=True)), ("amount", models.IntegerField())]
        ),
        migrations.RunSQL("INSERT INTO no_such_table VALUES (1)"),
    ]


def table_exists(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        return TABLE in connections[alias].introspection.table_names(cursor)


def drop_ledger(alias: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def apply_failing_migration(alias: str) -> dict:
    """Apply LedgerThenFail on `alias`; report the error and whether step 1's table survived."""
    drop_ledger(alias)
    executor = MigrationExecutor(connections[alias])
    state = executor.loader.project_state(("mysql_lab", "0001_customers"))
    migration = LedgerThenFail("0099_ledger_then_fail", "mysql_lab")
    try:
        executor.apply_migration(state, migration)
        error = None
    except DatabaseError as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return {
        "atomic": connections[alias].features.can_rollback_ddl,
        "error": error,
        "table left behind": table_exists(alias),
    }
