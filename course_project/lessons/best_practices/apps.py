from django.apps import AppConfig


class PracticesConfig(AppConfig):
    """Notebook 12_best_practices: indexes, query monitoring, injection, least privilege.
    Its Event table also exists on MariaDB, to compare indexes on both."""

    name = "course_project.lessons.best_practices"
    label = "practices"
    database = "default"
    extra_databases = ("legacy",)
