from django.apps import AppConfig


class Django6Config(AppConfig):
    """Notebook 17_django6: what Django 6.0 and 6.1 change for your databases, run on the kernel "django6"
    (Django 6.1, course_tools/django6_kernel.py) against the course's servers.

    Its models (catalog.py) use what only Django 6.1 has (DB_CASCADE), so they live in a model registry of
    their own, never in the project's, and the course environment (Django 5.2) loads this app unharmed. They
    have no migrations: the notebook creates their tables fresh on every database it compares, listed in
    extra_databases (so the system checks judge each model there). `database = None`: the ORM follows each
    instance's own database (course_project/routers.py)."""

    name = "course_project.lessons.django6"
    label = "django6"
    database = None
    extra_databases = ("default", "legacy", "sqlite", "mongodb")
