from django.apps import AppConfig


class ReplicasConfig(AppConfig):
    """Notebook 05_read_replicas: primary/replica routing."""

    name = "course_project.lessons.read_replicas"
    label = "replicas"
    database = "default"
