"""The primary/replica router: routing, read-your-writes, fallback, and the live replica."""
import json

import pytest
from django.db import connections, router
from exercise_checks import accepts, assert_stubs_match, rejects
from django.test import Client, RequestFactory, TestCase, TransactionTestCase
from django.http import JsonResponse

from course_project import services
from course_project.lessons.read_replicas import routers, solutions
from course_project.lessons.read_replicas.exercises import exercises
from course_project.lessons.read_replicas.models import Order
from course_project.lessons.read_replicas.routers import PrimaryReplicaRouter, ReadYourWritesMiddleware, request_scope


class RouterTests(TestCase):
    databases = {"default", "replica"}

    def setUp(self):
        routers.replica_available(force=True)
        # a write outside any request (another module's, earlier in this process) pins the process's own
        # context; each test starts like a request, unpinned
        self.enterContext(request_scope())

    def test_reads_replica_writes_primary_and_abstains_elsewhere(self):
        r = PrimaryReplicaRouter()
        from course_project.lessons.multiple_databases.models import Book

        with request_scope():
            self.assertEqual(r.db_for_read(Order), "replica")
            self.assertEqual(r.db_for_write(Order), "default")
            self.assertIsNone(r.db_for_read(Book))
        self.assertFalse(r.allow_migrate("replica", "replicas"))
        self.assertTrue(r.allow_migrate("default", "replicas"))
        self.assertIsNone(r.allow_migrate("replica", "auth"))

    def test_a_write_pins_the_rest_of_the_request_only(self):
        with request_scope():
            Order.objects.create(number="T-1")
            self.assertEqual(Order.objects.all().db, "default")
        with request_scope():
            self.assertEqual(Order.objects.all().db, "replica")

    def test_middleware_scopes_each_request(self):
        def view(request):
            Order.objects.create(number=request.GET["n"])
            return JsonResponse({"read_from": Order.objects.all().db})

        middleware = ReadYourWritesMiddleware(view)
        response = middleware(RequestFactory().get("/", {"n": "T-3"}))
        self.assertEqual(json.loads(response.content), {"read_from": "default"})
        self.assertFalse(routers.is_pinned())



class MirrorTests(TransactionTestCase):
    """The replica alias mirrors `default` in tests: committed writes read back through it."""

    databases = {"default", "replica"}

    def setUp(self):
        routers.replica_available(force=True)

    def test_mirror_lets_tests_read_back_through_the_replica_alias(self):
        with request_scope():
            Order.objects.create(number="T-2")
        with request_scope():
            orders = Order.objects.filter(number="T-2")
            self.assertEqual(orders.db, "replica")
            self.assertTrue(orders.exists())

    def test_views_report_where_they_read(self):
        client = Client()
        self.assertEqual(client.post("/replicas/orders/", {"number": "T-4"}).json()["read_back_from"], "default")
        self.assertEqual(client.get("/replicas/orders/T-4/").json(),
                         {"number": "T-4", "found": True, "read_from": "replica"})


def test_the_real_replica_is_a_streaming_standby_that_refuses_writes():
    """The servers themselves (the test session points the replica alias at the primary)."""
    import psycopg

    from course_project.services.config import servers

    replica = services.probe(servers()["replica"])
    assert replica.ok and replica.version.endswith("standby")
    with servers()["replica"].connect() as conn:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction, match="read-only transaction"):
            conn.execute("CREATE TABLE should_not_exist (id int)")
    with servers()["postgres"].connect() as conn:
        state = conn.execute("SELECT state FROM pg_stat_replication").fetchone()
    assert state == ("streaming",)


@pytest.mark.timeout(90)
@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_reads_fall_back_to_the_primary_while_the_replica_is_down(restore_servers):
    services.down("replica")
    try:
        assert routers.replica_available(force=True) is False
        with request_scope():
            assert router.db_for_read(Order) == "default"
    finally:
        services.up("replica", quiet=True)
    assert routers.replica_available(force=True) is True


EXERCISE_DB = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@EXERCISE_DB
def test_in_recovery_map():
    accepts(exercises, "in_recovery_map", solutions.in_recovery_map)
    seen = solutions.in_recovery_map(["default", "replica"])
    rejects(exercises, "in_recovery_map", lambda aliases: seen, hint="a new alias the checker made")
    rejects(exercises, "in_recovery_map", lambda aliases: {a: a == "replica" for a in aliases},
            hint="ask each server")
    rejects(exercises, "in_recovery_map", lambda aliases: [solutions.in_recovery_map(aliases)], hint="return a dict")


def sent_not_replayed():
    """A plausible mistake: measuring up to sent_lsn, which a paused replica still keeps up with."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn) FROM pg_stat_replication")
        return int(cursor.fetchone()[0])


@EXERCISE_DB
def test_lag_bytes():
    accepts(exercises, "lag_bytes", solutions.lag_bytes)
    rejects(exercises, "lag_bytes", lambda: 0, hint="bytes of WAL are received but not replayed")
    constant = solutions.lag_bytes()
    rejects(exercises, "lag_bytes", lambda: constant, hint="bytes of WAL are received but not replayed")
    rejects(exercises, "lag_bytes", sent_not_replayed, hint="measure from pg_current_wal_lsn() to replay_lsn")
    rejects(exercises, "lag_bytes", lambda: float(solutions.lag_bytes()), hint="return an int, not float")


def test_stubs_match():
    assert_stubs_match(exercises, "05_read_replicas.ipynb")
