"""Connection handling per mode, through a real WSGI server; the syllabus's pooling errors."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import ProgrammingError, connections

from course_project.lessons.connection_pooling import solutions
from course_project.lessons.connection_pooling.exercises import exercises
from course_project.lessons.connection_pooling.measure import per_query_raw, server_processes, stop_server
from course_project.lessons.connection_pooling.modes import add_alias, register_all


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


def test_solutions_pass_and_wrong_answers_fail():
    assert exercises.check(vars(solutions)).all_passed
    assert exercises.check({}).passed == 0
    wrong = {"pool_options": {"MAX_CONNS": 10, "connect_timeout": 3},
             "bouncer_settings": {"CONN_MAX_AGE": 60, "DISABLE_SERVER_SIDE_CURSORS": True}}
    assert exercises.check(wrong).passed == 0
