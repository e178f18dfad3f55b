from django.apps import AppConfig


class MigrationsLabConfig(AppConfig):
    """Notebook 11_migrations: a real migration history, on PostgreSQL and (to compare) MariaDB."""

    name = "course_project.lessons.migrations"
    label = "migrations_lab"
    database = "default"
    extra_databases = ("legacy",)
