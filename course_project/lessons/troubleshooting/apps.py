from django.apps import AppConfig


class TroubleshootingConfig(AppConfig):
    """Notebook 13_troubleshooting: faults caused and diagnosed."""

    name = "course_project.lessons.troubleshooting"
    label = "troubleshooting"
    database = "default"
