"""Notebook 10's exercises (reference answers: solutions.py).

Each check uses a new alias for real: query_with_timeout runs the learner's function through pgBouncer
(watching its statements with connection.execute_wrapper), times a query it must cancel, and asks the
next client of pgBouncer what it inherited; bouncer_settings iterates through the learner's settings
while another client holds a transaction, and ends a request the way Django does.
"""

import copy
import random
import re
import secrets
import time

from django.conf import settings
from django.db import DatabaseError, connections

from course_project.env import PROJECT_ROOT
from course_project.lessons.connection_pooling.cursors import fill_rows, iterate_while_busy
from course_project.lessons.connection_pooling.modes import register, unregister
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("10_connection_pooling")


def _pool_size() -> int:
    """pgBouncer's default_pool_size: at most this many server connections serve one database and user."""
    ini = (PROJECT_ROOT / "course_project" / "services" / "pgbouncer" / "pgbouncer.ini").read_text()
    return int(re.search(r"^default_pool_size\s*=\s*(\d+)", ini, re.M).group(1))


def _seen_by_the_next_client(alias: str) -> str:
    """statement_timeout as pgBouncer's next clients see it: as many clients as the pool has server connections,
    each holding one in a transaction at the same time, so whichever connection the answer used is among them.
    Returns the first setting that is not the default ('0'), else '0'; every connection is reset for whoever
    comes next."""
    clients, seen = [], []
    try:
        for _ in range(_pool_size()):
            client = connections.create_connection(alias)
            clients.append(client)
            client.set_autocommit(False)
            with client.cursor() as cursor:
                cursor.execute("SELECT current_setting('statement_timeout')")
                seen.append(cursor.fetchone()[0])
                cursor.execute("RESET statement_timeout")
        return next((value for value in seen if value != "0"), "0")
    finally:
        for client in clients:
            try:
                client.commit()
            finally:
                client.close()


@exercises.add(
    "query_with_timeout",
    "query_with_timeout(alias, sql, ms): rows of `sql`, cancelled after ms "
    "milliseconds, the timeout leaking to no other client of pgBouncer",
    hint="Behind transaction pooling only a transaction keeps your statements on one server "
    "connection, and a setting made with SET LOCAL (or set_config(name, value, true)) ends with it.",
)
def _(answer):
    through = copy.deepcopy(settings.DATABASES["bouncer"])
    bouncer = servers()["pgbouncer"]
    through.update(HOST=bouncer.host, PORT=str(bouncer.port))  # pgBouncer itself, even where tests mirror the alias
    alias = register(f"check_timeout_{secrets.token_hex(3)}", through)
    statements = []

    def watch(execute, sql, params, many, context):
        statements.append((sql, not context["connection"].get_autocommit()))  # atomic() or set_autocommit(False)
        return execute(sql, params, many, context)

    try:
        connection = connections[alias]
        connection.ensure_connection()  # Django's own set-up queries run now, not under the watch
        ms = random.randint(150, 400)
        value = random.randint(1, 10**6)
        with connection.execute_wrapper(watch):
            rows = answer(alias, f"SELECT {value}, 'fast'", ms)
        assert statements, f"send the query through connections[{alias!r}] (connections[alias].cursor())"
        assert [tuple(row) for row in rows or []] == [(value, "fast")], f"return the query's rows: got {rows!r}"
        outside = [sql for sql, in_transaction in statements if not in_transaction]
        assert not outside, (
            f"{outside[0]!r} ran outside a transaction: behind transaction pooling the next "
            "statement may go to another server connection"
        )
        seen = _seen_by_the_next_client(alias)
        assert seen == "0", (
            f"the next client of pgBouncer found statement_timeout = {seen}: a session setting "
            "stays on the server connection after your transaction"
        )
        start = time.monotonic()
        try:
            answer(alias, "SELECT pg_sleep(3)", ms)
        except DatabaseError:
            took = time.monotonic() - start
        else:
            raise AssertionError(f"pg_sleep(3) ran to its end: the query was not cancelled after {ms} ms")
        assert took < 2.5, f"pg_sleep(3) was cancelled only after {took:.1f} s"
        seen = _seen_by_the_next_client(alias)
        assert seen == "0", f"after the cancelled query, the next client found statement_timeout = {seen}"
        [(inside,)] = answer(alias, "SELECT current_setting('statement_timeout')", ms)
        assert inside == f"{ms}ms", (
            f"asked for {ms} ms, the query ran with statement_timeout = {inside}: use the `ms` argument"
        )
    finally:
        _seen_by_the_next_client(alias)  # whatever the answer left on the last server connection: reset
        unregister(alias)


@exercises.add(
    "bouncer_settings",
    "bouncer_settings(base): a PostgreSQL alias's settings (kept connections, "
    "or Django's pool), through pgBouncer in transaction mode, a new connection "
    "per request",
    hint="Start from a copy of `base` (copy its OPTIONS too: the checker reuses it). Four things differ "
    "behind pgBouncer in transaction mode: where to connect, what becomes of cursors that outlive a "
    "transaction, how long Django keeps a connection after a request, and whether Django pools.",
)
def _(answer):
    kept = copy.deepcopy(settings.DATABASES["default"])
    kept.update(CONN_MAX_AGE=60, DISABLE_SERVER_SIDE_CURSORS=False)
    pooled = copy.deepcopy(settings.DATABASES["default"])
    pooled.update(CONN_MAX_AGE=0, DISABLE_SERVER_SIDE_CURSORS=False)
    pooled["OPTIONS"] = {**pooled.get("OPTIONS", {}), "pool": {"min_size": 1, "max_size": 2}}
    fill_rows(20)
    for base in (kept, pooled):
        token = f"check_{secrets.token_hex(3)}"
        base["OPTIONS"] = {**base.get("OPTIONS", {}), "application_name": token}
        given = copy.deepcopy(base)
        result = answer(given)
        assert given == base, "return a copy: `base` itself was changed (copy.deepcopy(base) copies OPTIONS too)"
        assert isinstance(result, dict), "return a settings dict"
        _check_bouncer_settings(result, token)


def _check_bouncer_settings(result: dict, token: str):
    alias = register(f"check_bouncer_{token}", copy.deepcopy(result))
    try:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('application_name')")
            assert cursor.fetchone()[0] == token, (
                "start from `base`: keep its NAME, USER, PASSWORD and OPTIONS, change only what pgBouncer needs"
            )
        assert connection.connection.info.port == servers()["pgbouncer"].port, (
            "connect through pgBouncer: its HOST and PORT"
        )
        outcome = iterate_while_busy(alias)
        assert outcome.startswith("ok"), f"server-side cursors break behind pgBouncer in transaction mode ({outcome})"
        assert connection.pool is None, (
            "Django's pool (OPTIONS['pool']) keeps client connections open between "
            "requests: a new connection per request means no pool in front of pgBouncer"
        )
        connection.ensure_connection()
        connection.close_if_unusable_or_obsolete()  # what Django does at the end of every request
        assert connection.connection is None, (
            "the connection outlived the request: a new one per request needs CONN_MAX_AGE"
        )
    finally:
        unregister(alias)
