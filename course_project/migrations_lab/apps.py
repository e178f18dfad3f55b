from django.apps import AppConfig


class MigrationsLabConfig(AppConfig):
    """Notebook 11_migrations: a real migration history."""

    name = "course_project.migrations_lab"
    label = "migrations_lab"
    database = "default"
