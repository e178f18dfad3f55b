from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Notebook 04_multiple_databases: the app the syllabus's AnalyticsRouter sends to the
    `analytics` database (course_project/lessons/multiple_databases/routers.py decides, not this config)."""

    name = "course_project.lessons.multiple_databases.analytics"
    label = "analytics"
