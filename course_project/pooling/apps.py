from django.apps import AppConfig


class PoolingConfig(AppConfig):
    """Notebook 10_connection_pooling: connection costs, measured."""

    name = "course_project.pooling"
    label = "pooling"
    database = "default"
