from django.apps import AppConfig


class PoolingConfig(AppConfig):
    """Notebook 10_connection_pooling and the course benchmark (course_tools/bench.py)."""

    name = "course_project.lessons.connection_pooling"
    label = "pooling"
    database = "default"
    extra_databases = ("legacy",)
