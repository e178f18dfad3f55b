"""Plumbing for notebook 15: wait until the streaming replica has replayed what the primary wrote.

A test that reads through the replica server right after its test database was created would
otherwise depend on a few milliseconds of replication lag (the tables might not be there yet).
"""

import time

import psycopg

from course_project.services.config import servers


def _connect(server: str):
    s = servers()[server]
    return psycopg.connect(
        host=s.host,
        port=s.port,
        dbname=s.database,
        user=s.user,
        password=s.password,
        autocommit=True,
        connect_timeout=3,
    )


def wait_for_replica(timeout: float = 10.0) -> None:
    with _connect("postgres") as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with _connect("replica") as replica:
        while replica.execute("SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()) > 0", [target]).fetchone()[
            0
        ]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica has not replayed {target} after {timeout} s")
            time.sleep(0.01)
