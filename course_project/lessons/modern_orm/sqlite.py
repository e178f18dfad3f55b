"""The lesson's tables on SQLite, made fresh by the notebook (and the tests) rather than by migrate."""

from django.apps import apps
from django.db import connections


def fresh_sqlite_tables(alias="sqlite") -> list:
    """Drop and create every table of this app on the SQLite alias; return their names."""
    connection = connections[alias]
    models = list(apps.get_app_config("modern_orm").get_models())
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    with connection.schema_editor() as editor:
        for model in models:
            if model._meta.db_table in existing:
                editor.delete_model(model)
            editor.create_model(model)
    return [model._meta.db_table for model in models]
