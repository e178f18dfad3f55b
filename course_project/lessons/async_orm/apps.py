from django.apps import AppConfig


class AsyncOrmConfig(AppConfig):
    """Notebook 16_async_orm: the async ORM, ASGI and races that the ORM does not prevent.

    Its tables live on PostgreSQL (`default`) and on MariaDB (`legacy`), so that each race runs on both."""

    name = "course_project.lessons.async_orm"
    label = "async_orm"
    database = "default"
    extra_databases = ("legacy",)
