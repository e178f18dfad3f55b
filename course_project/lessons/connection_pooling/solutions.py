"""Reference answers for notebook 10."""

from django.db import connections, transaction

from course_project.services.config import servers


def query_with_timeout(alias, sql, ms):
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:  # one transaction: one server connection
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{int(ms)}ms"])  # true: SET LOCAL
        cursor.execute(sql)
        return cursor.fetchall()


def bouncer_settings(base):
    bouncer = servers()["pgbouncer"]
    options = {key: value for key, value in base.get("OPTIONS", {}).items() if key != "pool"}  # no pool in front
    return {
        **base,
        "HOST": bouncer.host,
        "PORT": bouncer.port,
        "CONN_MAX_AGE": 0,
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "OPTIONS": options,
    }
