from django.apps import AppConfig


class MultidbConfig(AppConfig):
    """Notebook 04_multiple_databases: several databases, one project."""

    name = "course_project.lessons.multiple_databases"
    label = "multidb"
    database = "default"
