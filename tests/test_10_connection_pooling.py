"""Connection handling per mode, through a real WSGI server; the syllabus's pooling errors."""

import time

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import ProgrammingError, connections, transaction
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.lessons.connection_pooling import solutions
from course_project.lessons.connection_pooling.exercises import exercises
from course_project.lessons.connection_pooling.measure import per_query_raw, server_processes, stop_server
from course_project.lessons.connection_pooling.modes import add_alias, register_all
from course_project.services.bouncer_admin import release


@pytest.fixture(autouse=True)
def real_databases(django_db_blocker):
    """Connection handling is what is tested, so no test-case transaction wraps these: the
    queries (SELECT 1 and process ids) run on the course's own databases."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def aliases():
    yield register_all()
    stop_server()
    connections["pg_pool"].close_pool()


def test_each_mode_handles_connections_as_documented(aliases):
    assert server_processes(aliases["new connection per request"], n=10) == 10
    assert server_processes(aliases["persistent (CONN_MAX_AGE=60)"], n=10) == 1
    assert server_processes(aliases["Django's pool (psycopg 3)"], n=10) <= 4
    assert server_processes(aliases["MariaDB, new per request"], n=10) == 10
    assert server_processes(aliases["MariaDB, persistent"], n=10) == 1


def test_raw_queries_work_on_both_paths():
    assert len(per_query_raw(new_connection=True, n=3)) == 3
    assert len(per_query_raw(new_connection=True, n=3, server="pgbouncer")) == 3


def first_query(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connections[alias].close()


def test_max_conns_is_not_a_connection_option():
    add_alias("t_max_conns", "default", {"OPTIONS": {"MAX_CONNS": 20, "connect_timeout": 3}})
    with pytest.raises(ProgrammingError, match='invalid connection option "MAX_CONNS"'):
        first_query("t_max_conns")


def test_pool_refuses_persistent_connections():
    add_alias("t_pool_age", "default", {"CONN_MAX_AGE": 60, "OPTIONS": {"pool": {"max_size": 5}}})
    with pytest.raises(ImproperlyConfigured, match="Pooling doesn't support persistent connections"):
        first_query("t_pool_age")


def _session_set(alias, sql, ms):
    """SET for the session, then the query, each in autocommit: the SET stays on its server connection."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(ms)}")
        cursor.execute(sql)
        return cursor.fetchall()


def _session_set_in_a_transaction(alias, sql, ms):
    """In one transaction, but a plain SET: it outlives the COMMIT."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(ms)}")
        cursor.execute(sql)
        return cursor.fetchall()


def _no_timeout(alias, sql, ms):
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _constant_timeout(alias, sql, ms):
    """SET LOCAL in one transaction, but always one second, whatever `ms` says."""
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '1s'")
        cursor.execute(sql)
        return cursor.fetchall()


def _manual_transaction(alias, sql, ms):
    """A valid answer without atomic(): set_autocommit(False), then commit."""
    connection = connections[alias]
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{int(ms)}ms"])
            cursor.execute(sql)
            rows = cursor.fetchall()
        connection.commit()
        return rows
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.set_autocommit(True)


def test_query_with_timeout_checker_watches_the_transaction_and_the_next_client(through_pgbouncer):
    accepts(exercises, "query_with_timeout", solutions.query_with_timeout)
    accepts(exercises, "query_with_timeout", _manual_transaction)
    rejects(exercises, "query_with_timeout", _constant_timeout, hint="use the `ms` argument")
    rejects(exercises, "query_with_timeout", lambda alias, sql, ms: [(1, "fast")], hint="send the query through")
    rejects(exercises, "query_with_timeout", _session_set, hint="ran outside a transaction")
    rejects(exercises, "query_with_timeout", _session_set_in_a_transaction, hint="a session setting stays")
    rejects(exercises, "query_with_timeout", _no_timeout, hint="was not cancelled")


@pytest.fixture
def through_pgbouncer():
    """The checker reaches the test database through the real pgBouncer: let its server connections go,
    and wait until PostgreSQL has ended them, so that the test database can be dropped."""
    yield
    name = connections["default"].settings_dict["NAME"]
    release(name)
    with connections["default"].cursor() as cursor:
        for _ in range(100):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)


def test_bouncer_settings_checker_iterates_through_pgbouncer(through_pgbouncer):
    accepts(exercises, "bouncer_settings", solutions.bouncer_settings)
    constant = solutions.bouncer_settings(dict(settings.DATABASES["default"]))
    rejects(exercises, "bouncer_settings", lambda base: constant, hint="start from `base`")
    rejects(
        exercises,
        "bouncer_settings",
        lambda base: {**base, "CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True},
        hint="connect through pgBouncer",
    )
    rejects(
        exercises,
        "bouncer_settings",
        lambda base: {**solutions.bouncer_settings(base), "DISABLE_SERVER_SIDE_CURSORS": False},
        hint="server-side cursors break behind pgBouncer",
    )
    rejects(
        exercises,
        "bouncer_settings",
        lambda base: {**solutions.bouncer_settings(base), "CONN_MAX_AGE": 60},
        hint="the connection outlived the request",
    )
    rejects(exercises, "bouncer_settings", _keeps_the_pool, hint="no pool in front of pgBouncer")
    rejects(exercises, "bouncer_settings", _changes_base, hint="return a copy")


def _keeps_the_pool(base):
    """Everything right but Django's pool, left in OPTIONS."""
    return {**solutions.bouncer_settings(base), "OPTIONS": base["OPTIONS"]}


def _changes_base(base):
    """Right settings, but OPTIONS shared with `base` and changed in place."""
    base["OPTIONS"].pop("pool", None)
    return {**solutions.bouncer_settings(base), "OPTIONS": base["OPTIONS"]}


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "10_connection_pooling.ipynb")


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)
