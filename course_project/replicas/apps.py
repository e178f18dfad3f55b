from django.apps import AppConfig


class ReplicasConfig(AppConfig):
    """Notebook 05_read_replicas: primary/replica routing."""

    name = "course_project.replicas"
    label = "replicas"
    database = "default"
