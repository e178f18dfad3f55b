from django.apps import AppConfig


class ModernOrmConfig(AppConfig):
    """Notebook 14_modern_orm: what Django 5.x changed in the database layer.

    Its tables live on PostgreSQL (`default`) and also on MariaDB (`legacy`), so that each feature
    can be compared; a model may narrow that with its own `databases` (see course_project/routers.py).
    On SQLite the notebook creates them itself (sqlite.py): migrating the `sqlite` alias belongs to
    notebook 01, which lists exactly its own tables there."""

    name = "course_project.lessons.modern_orm"
    label = "modern_orm"
    database = "default"
    extra_databases = ("legacy",)
