"""Reference answers for notebook 11."""
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


def unapply_target(app_label, name):
    migration = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[(app_label, name)]
    parents = [parent for app, parent in migration.dependencies if app == app_label]
    return parents[0] if parents else "zero"


def record_without_running(app_label, name):
    call_command("migrate", app_label, name, fake=True, verbosity=0)
