from django.apps import AppConfig


class ZeroDowntimeConfig(AppConfig):
    """Notebook 11_migrations, section 6: a required column added to a big table in five migrations,
    the PostgreSQL-only way (NOT VALID check, then VALIDATE), so it lives on `default` only."""

    name = "course_project.lessons.migrations.zero_downtime"
    label = "zero_downtime"
    database = "default"
