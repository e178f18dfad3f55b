"""Keep each lesson's models on the database its app (or the model itself) names.

    class SqliteLabConfig(AppConfig):
        database = "sqlite"                 # reads, writes and migrations go here
        extra_databases = ("sqlite_wal",)   # the app's tables also exist here (use using(...))

    class LegacyOrder(models.Model):
        database = "legacy"                 # a model may override its app
        databases = ("legacy",)             # ... and say where its table may be created

Apps without a `database` attribute (Django's contrib apps) live on `default` only. This router
comes last in DATABASE_ROUTERS; a lesson's own routers before it decide first.
"""

from django.apps import apps

DEFAULT = "default"


def alias_for(app_label: str, model=None) -> str:
    if model is not None and getattr(model, "database", None):
        return model.database
    return getattr(apps.get_app_config(app_label), "database", DEFAULT)


def aliases_for(app_label: str, model_name: str | None = None) -> set:
    if model_name:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # a model that no longer exists, in an old migration
            model = None
        if model is not None and getattr(model, "databases", None):
            return set(model.databases)
    config = apps.get_app_config(app_label)
    return {getattr(config, "database", DEFAULT), *getattr(config, "extra_databases", ())}


class LessonRouter:
    def db_for_read(self, model, **hints):
        return alias_for(model._meta.app_label, model)

    def db_for_write(self, model, **hints):
        return alias_for(model._meta.app_label, model)

    def allow_relation(self, obj1, obj2, **hints):
        return obj1._state.db == obj2._state.db or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db in aliases_for(app_label, model_name)
