"""Reference answers for notebook 00."""
from django.db import connections


def replica_is_read_only():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


with connections["legacy"].cursor() as _cursor:
    _cursor.execute("SELECT @@sql_mode")
    legacy_sql_mode = _cursor.fetchone()[0]
