from django.apps import AppConfig


class PracticesConfig(AppConfig):
    """Notebook 12_best_practices: indexes, query monitoring, security."""

    name = "course_project.practices"
    label = "practices"
    database = "default"
