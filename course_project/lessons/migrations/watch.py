"""Watching the zero_downtime migrations run (notebook 11, section 6): their locks, transactions and scans."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connections

TABLE = "zero_downtime_edition"


@contextmanager
def session_settings(connection, **settings):
    """SET these for the connection's session, and RESET them afterwards."""
    with connection.cursor() as cursor:
        for name, value in settings.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name in settings:
                cursor.execute(f"RESET {name}")


@contextmanager
def watching(steps, lock_timeout="2s"):
    """Under a lock_timeout, note each ALTER or UPDATE on TABLE in `steps`: its SQL, the locks its transaction
    holds right after it, the transaction's id, and PostgreSQL's DEBUG1 notes while it ran."""
    connection = connections["default"]
    connection.ensure_connection()
    notes = []

    def probe(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.split()[0] in ("ALTER", "UPDATE") and TABLE in sql:
            with connection.connection.cursor() as raw:  # the same session and transaction, not itself watched
                raw.execute(
                    "SELECT txid_current(), array_agg(DISTINCT mode ORDER BY mode) FROM pg_locks "
                    "WHERE pid = pg_backend_pid() AND relation = %s::regclass",
                    [TABLE],
                )
                transaction_id, locks = raw.fetchone()
            steps.append({"sql": sql, "locks": locks, "transaction": transaction_id, "notes": notes[:]})
            notes.clear()
        return result

    def note(diagnostic):  # PostgreSQL's messages below WARNING reach the client as notices
        notes.append(diagnostic.message_primary)

    connection.connection.add_notice_handler(note)
    try:
        with (
            session_settings(connection, lock_timeout=lock_timeout, client_min_messages="debug1"),
            connection.execute_wrapper(probe),
        ):
            yield
    finally:
        connection.connection.remove_notice_handler(note)


def migrate_watched(target: str, lock_timeout: str = "2s") -> list:
    """`migrate zero_downtime <target>` under `watching`: the steps it noted."""
    steps = []
    with watching(steps, lock_timeout):
        call_command("migrate", "zero_downtime", target, verbosity=0)
    return steps


def report(steps):
    for step in steps:
        print(step["sql"])
        print("    locks:", step["locks"])
        for note in step["notes"]:
            print("    note:", note)
