"""Reference answers for notebook 05."""
from django.db import connections


def in_recovery_map(aliases):
    answers = {}
    for alias in aliases:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            answers[alias] = cursor.fetchone()[0]
    return answers


def lag_bytes():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication")
        return int(cursor.fetchone()[0])
