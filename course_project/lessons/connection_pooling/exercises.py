"""Notebook 10's exercises (reference answers: solutions.py).

Each check applies the learner's settings to a new alias and uses it for real: it opens the pool
from threads and reads what the pool was given; it iterates through pgBouncer while another client
holds a transaction, and ends a request the way Django does.
"""
import copy
import random
import secrets
import threading

from django.conf import settings
from django.db import connections

from course_project.lessons.connection_pooling.cursors import fill_rows, iterate_while_busy
from course_project.lessons.connection_pooling.modes import register, unregister
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("10_connection_pooling")


def _server_processes_at_once(alias: str, threads: int) -> set:
    """`threads` requests at once on `alias`, each holding its connection for 0.2 s: the backends that served them."""
    pids, errors = set(), []

    def request():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid() FROM pg_sleep(0.2)")
                pids.add(cursor.fetchone()[0])
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections[alias].close()  # the end of a request: back to the pool

    workers = [threading.Thread(target=request) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors[0]
    return pids


def _check_pool(options, size: int):
    assert isinstance(options, dict) and isinstance(options.get("pool"), dict), \
        "Django's pool takes its settings as a dict under OPTIONS['pool']"
    alias = register(f"check_pool_{secrets.token_hex(3)}",
                     {**copy.deepcopy(settings.DATABASES["default"]), "CONN_MAX_AGE": 0, "OPTIONS": options})
    try:
        connection = connections[alias]
        connection.ensure_connection()
        assert connection.connection.info.get_parameters().get("connect_timeout") == "3", \
            "keep connect_timeout at 3 (a connection option, beside 'pool')"
        connection.close()
        assert connection.pool.max_size == size, \
            f"pool_options({size}) made a pool of up to {connection.pool.max_size} connections"
        served = _server_processes_at_once(alias, size + 3)
        assert len(served) <= size, f"{len(served)} server processes served a pool of at most {size}"
    finally:
        unregister(alias)


@exercises.add("pool_options", "pool_options(n): OPTIONS for Django's pool of at most n connections, connect_timeout 3",
               hint="Django's pool is configured inside OPTIONS, beside the driver's own connection options, "
                    "and its size limit is one of psycopg_pool's ConnectionPool arguments.")
def _(answer):
    for size in random.sample(range(5, 9), 2):  # two sizes: a fixed answer cannot fit both
        _check_pool(answer(size), size)


@exercises.add("bouncer_settings", "bouncer_settings(base): a PostgreSQL alias's settings, through pgBouncer "
                                   "in transaction mode, a new connection per request",
               hint="Start from a copy of `base`. Three things differ behind pgBouncer in transaction mode: "
                    "where to connect, what becomes of cursors that outlive a transaction, and how long "
                    "Django keeps a connection after a request.")
def _(answer):
    token = f"check_{secrets.token_hex(3)}"
    base = copy.deepcopy(settings.DATABASES["default"])
    base.update(CONN_MAX_AGE=60, DISABLE_SERVER_SIDE_CURSORS=False)
    base["OPTIONS"] = {**base.get("OPTIONS", {}), "application_name": token}
    result = answer(copy.deepcopy(base))
    assert isinstance(result, dict), "return a settings dict"
    fill_rows(20)
    alias = register(f"check_bouncer_{token}", copy.deepcopy(result))
    try:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('application_name')")
            assert cursor.fetchone()[0] == token, \
                "start from `base`: keep its NAME, USER, PASSWORD and OPTIONS, change only what pgBouncer needs"
        assert connection.connection.info.port == servers()["pgbouncer"].port, \
            "connect through pgBouncer: its HOST and PORT"
        outcome = iterate_while_busy(alias)
        assert outcome.startswith("ok"), f"server-side cursors break behind pgBouncer in transaction mode ({outcome})"
        connection.ensure_connection()
        connection.close_if_unusable_or_obsolete()  # what Django does at the end of every request
        assert connection.connection is None, "the connection outlived the request: a new one per request needs CONN_MAX_AGE"
    finally:
        unregister(alias)
