"""Reference answers for notebook 05."""

import time

from django.db import connections


def bytes_not_replayed(aliases):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        written = cursor.fetchone()[0]
    behind = {}
    for alias in aliases:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_is_in_recovery() "
                "THEN pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) ELSE 0 END",
                [written],
            )
            behind[alias] = int(cursor.fetchone()[0])
    return behind


def wait_until_replayed(timeout=5.0):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica has not replayed up to {target} after {timeout} s")
            time.sleep(0.01)
