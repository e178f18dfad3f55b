"""The primary/replica router: routing, read-your-writes, fallback, and the live replica."""
import json

import pytest
from django.db import router
from django.test import Client, RequestFactory, TestCase, TransactionTestCase
from django.http import JsonResponse

from course_project import services
from course_project.lessons.read_replicas import routers
from course_project.lessons.read_replicas.exercises import exercises
from course_project.lessons.read_replicas.models import Order
from course_project.lessons.read_replicas.routers import PrimaryReplicaRouter, ReadYourWritesMiddleware, request_scope


class RouterTests(TestCase):
    databases = {"default", "replica"}

    def setUp(self):
        routers.replica_available(force=True)

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


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_solutions_pass_and_wrong_answers_fail():
    from course_project.lessons.read_replicas import solutions  # asks the servers at import

    report = exercises.check(vars(solutions))
    assert report.all_passed, str(report)
    assert exercises.check({}).passed == 0
    assert exercises.check({"in_recovery_map": {"default": True, "replica": True},
                            "lag_bytes": lambda: -1}).passed == 0
