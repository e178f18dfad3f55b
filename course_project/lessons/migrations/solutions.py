"""Reference answers for notebook 11."""

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader


def unapply_target(app_label, name):
    migration = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[(app_label, name)]
    parents = [parent for app, parent in migration.dependencies if app == app_label]
    return parents[0] if parents else "zero"


def blocks_writers(statement):
    # the modes that conflict with ROW EXCLUSIVE, which every INSERT, UPDATE and DELETE takes
    conflict_with_writers = {"ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
        cursor.execute(
            "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'zero_downtime_edition'::regclass"
        )
        modes = {row[0] for row in cursor.fetchall()}
        transaction.set_rollback(True)  # measured, never kept
    return bool(modes & conflict_with_writers)
