"""Keep each lesson app on the database its AppConfig names.

    class SqliteLabConfig(AppConfig):
        database = "sqlite"                 # reads, writes and migrations go here
        extra_databases = ("sqlite_wal",)   # the app may also be migrated here (using(...) only)

Apps without a `database` attribute (Django's contrib apps) live on `default` only.
"""
from django.apps import apps

DEFAULT = "default"


def alias_for(app_label: str) -> str:
    return getattr(apps.get_app_config(app_label), "database", DEFAULT)


def aliases_for(app_label: str) -> set:
    return {alias_for(app_label), *getattr(apps.get_app_config(app_label), "extra_databases", ())}


class LessonRouter:
    def db_for_read(self, model, **hints):
        return alias_for(model._meta.app_label)

    def db_for_write(self, model, **hints):
        return alias_for(model._meta.app_label)

    def allow_relation(self, obj1, obj2, **hints):
        return obj1._state.db == obj2._state.db or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db in aliases_for(app_label)
