from django.apps import AppConfig


class StartHereConfig(AppConfig):
    """Notebook 00_start_here: the tour. No models of its own."""

    name = "course_project.lessons.start_here"
    label = "start_here"
