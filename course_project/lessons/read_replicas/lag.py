"""Watching replication: who is the standby, how far behind it is, and pausing it on purpose."""

import time

from django.db import connections

from course_project.runtime.admin_engines import postgres_connection


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def replication_status(wait: float = 0) -> dict:
    """What the primary knows about its standby (the app user has pg_monitor to read this). A standby whose
    primary has just restarted reconnects within seconds (wal_retrieve_retry_interval), then catches up and
    reports what it replayed: `wait` gives it that long to be streaming again."""
    deadline = time.monotonic() + wait
    while True:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT state, sync_state, EXTRACT(EPOCH FROM replay_lag), "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication"
            )
            row = cursor.fetchone()
        streaming = row is not None and row[0] == "streaming" and row[3] is not None
        if streaming or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if row is None:
        return {"state": "no standby connected"}
    state, sync_state, replay_lag, bytes_behind = row
    return {
        "state": state,
        "sync_state": sync_state,
        "replay_lag_s": None if replay_lag is None else float(replay_lag),
        "bytes_behind": None if bytes_behind is None else int(bytes_behind),
    }


def wait_until_received(position, alias: str = "replica", timeout: float = 5.0):
    """Poll the standby behind alias until it has received the WAL up to position (it arrives within milliseconds)."""
    deadline = time.monotonic() + timeout
    with connections[alias].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica has not received the WAL up to {position} after {timeout} s")
            time.sleep(0.005)


def wal_positions() -> dict:
    """Positions in the write-ahead log: written on the primary, received and replayed on the replica."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        written = cursor.fetchone()[0]
    wait_until_received(written)
    with connections["replica"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn(), "
            "GREATEST(pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_receive_lsn()), 0), "
            "pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())",
            [written, written],
        )
        received, replayed, not_received, not_replayed = cursor.fetchone()
    return {
        "written on the primary": written,
        "received by the replica": received,
        "replayed by the replica": replayed,
        "bytes not received": int(not_received),
        "bytes not replayed": int(not_replayed),
    }


def seconds_until_visible(model, number: str, timeout: float = 5.0) -> float:
    """Poll the replica until the row written on the primary shows up; seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if model.objects.using("replica").filter(number=number).exists():
            return time.perf_counter() - start
    raise TimeoutError(f"{number} not visible on the replica after {timeout} s")


def _superuser_on_replica():
    return postgres_connection(server="replica")


def pause_replay(timeout: float = 5.0):
    """Stop applying WAL on the replica (it keeps receiving it): reads there freeze in time.

    pg_wal_replay_pause() only asks; the standby pauses at its next check. Return once it says so."""
    with _superuser_on_replica() as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + timeout
        while conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != "paused":
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not pause replay within {timeout} s")
            time.sleep(0.005)


def resume_replay():
    with _superuser_on_replica() as conn:
        conn.execute("SELECT pg_wal_replay_resume()")
