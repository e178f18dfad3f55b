from django.apps import AppConfig


class PostgresLabConfig(AppConfig):
    """Notebook 02_postgresql: PostgreSQL features."""

    name = "course_project.lessons.postgresql"
    label = "postgres_lab"
    database = "default"
