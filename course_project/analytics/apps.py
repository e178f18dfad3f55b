from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    """Notebook 04_multiple_databases: the app the syllabus's AnalyticsRouter sends to `analytics`."""

    name = "course_project.analytics"
    label = "analytics"
    database = "analytics"
