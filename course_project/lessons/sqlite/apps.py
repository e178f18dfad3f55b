from django.apps import AppConfig


class SqliteLabConfig(AppConfig):
    """Notebook 01: SQLite. Lives on the `sqlite` alias; also migrated on `sqlite_wal`."""

    name = "course_project.lessons.sqlite"
    label = "sqlitelab"
    database = "sqlite"
    extra_databases = ("sqlite_wal",)
