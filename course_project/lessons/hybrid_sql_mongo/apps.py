from django.apps import AppConfig


class HybridConfig(AppConfig):
    """Notebook 09_hybrid_sql_mongo: products in PostgreSQL, analytics in MongoDB."""

    name = "course_project.lessons.hybrid_sql_mongo"
    label = "hybrid"
    database = "default"
