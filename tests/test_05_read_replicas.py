"""The primary/replica router: routing, read-your-writes, fallback, and the live replica."""

import json
import time

import pytest
from django.db import connections, router
from django.http import JsonResponse
from django.test import Client, RequestFactory, TestCase, TransactionTestCase
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project import services
from course_project.lessons.read_replicas import routers, solutions
from course_project.lessons.read_replicas.exercises import exercises
from course_project.lessons.read_replicas.lag import pause_replay, resume_replay
from course_project.lessons.read_replicas.models import Order
from course_project.lessons.read_replicas.routers import (
    PrimaryReplicaRouter,
    ReadYourWritesMiddleware,
    RequestPinMiddleware,
    request_scope,
)


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

    def test_middleware_scopes_each_request_and_pins_the_browser_after_a_write(self):
        def view(request):
            if "n" in request.GET:
                Order.objects.create(number=request.GET["n"])
            return JsonResponse({"read_from": Order.objects.all().db})

        middleware = ReadYourWritesMiddleware(view)
        response = middleware(RequestFactory().get("/", {"n": "T-3"}))
        self.assertEqual(json.loads(response.content), {"read_from": "default"})
        self.assertEqual(response.cookies[routers.PIN_COOKIE]["max-age"], routers.PIN_SECONDS)
        self.assertFalse(routers.is_pinned())
        request = RequestFactory().get("/")
        request.COOKIES[routers.PIN_COOKIE] = "1"
        pinned = middleware(request)
        self.assertEqual(json.loads(pinned.content), {"read_from": "default"})
        self.assertNotIn(routers.PIN_COOKIE, pinned.cookies)  # reading does not extend the pin
        self.assertEqual(json.loads(middleware(RequestFactory().get("/")).content), {"read_from": "replica"})
        one_request = RequestPinMiddleware(view)
        response = one_request(RequestFactory().get("/", {"n": "T-5"}))
        self.assertNotIn(routers.PIN_COOKIE, response.cookies)

    def test_allow_relation_answers_for_its_own_app_only(self):
        from course_project.lessons.multiple_databases.models import Book

        r = PrimaryReplicaRouter()
        on_replica, on_primary = Order(number="R-1"), Order(number="R-2")
        on_replica._state.db, on_primary._state.db = "replica", "default"
        self.assertTrue(r.allow_relation(on_replica, on_primary))
        book = Book(title="x")
        book._state.db = "default"
        self.assertIsNone(r.allow_relation(book, book))
        self.assertIsNone(r.allow_relation(on_primary, book))


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

    def test_the_form_redirects_to_a_page_read_from_the_primary_while_pinned(self):
        client = Client()
        response = client.post("/replicas/orders/", {"number": "T-4"}, follow=True)
        self.assertEqual(response.redirect_chain, [("/replicas/orders/T-4/", 302)])
        self.assertEqual(response.json(), {"number": "T-4", "found": True, "read_from": "default"})
        self.assertEqual(Client().get("/replicas/orders/T-4/").json()["read_from"], "replica")


def test_the_real_replica_is_a_streaming_standby_that_refuses_writes():
    """The servers themselves (the test session points the replica alias at the primary)."""
    import psycopg

    from course_project.services.config import servers

    replica = services.probe(servers()["replica"])
    assert replica.ok and replica.version.endswith("standby")
    with (
        servers()["replica"].connect() as conn,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction, match="read-only transaction"),
    ):
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


@pytest.mark.django_db(databases=["default"], transaction=True)
def test_pause_replay_returns_once_the_replica_says_paused():
    from course_project.runtime.admin_engines import postgres_connection

    pause_replay()
    try:
        with postgres_connection(server="replica") as conn:
            assert conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() == ("paused",)
    finally:
        resume_replay()


EXERCISE_DB = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture
def real_replica():
    """The test session points the replica alias at the primary; these checks need the standby itself
    (the test database reaches it by streaming replication)."""
    from course_project.services.config import servers

    connection = connections["replica"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST=servers()["replica"].host, PORT=str(servers()["replica"].port))
    yield
    connection.close()
    connection.settings_dict.update(saved)


@EXERCISE_DB
def test_bytes_not_replayed():
    from course_project.lessons.read_replicas.lag import in_recovery, replication_status

    accepts(exercises, "bytes_not_replayed", solutions.bytes_not_replayed)
    seen = solutions.bytes_not_replayed(["default", "replica"])
    rejects(exercises, "bytes_not_replayed", lambda aliases: seen, hint="an alias the checker made")
    rejects(exercises, "bytes_not_replayed", lambda aliases: {a: 0 for a in aliases}, hint="ask each server")
    rejects(
        exercises,
        "bytes_not_replayed",
        lambda aliases: {a: int(in_recovery(a)) for a in aliases},
        hint="ask each server",
    )
    replica_port = str(services.servers()["replica"].port)
    by_port = lambda aliases: {  # noqa: E731  the port guess: a relay on another port fronts the standby too
        a: replication_status()["bytes_behind"] if connections[a].settings_dict["PORT"] == replica_port else 0
        for a in aliases
    }
    # (with the stream cut, the primary's pg_stat_replication lists no standby: replication_status() has no bytes)
    rejects(exercises, "bytes_not_replayed", by_port, hint="ask each alias you are given")

    def fixed_server(aliases):  # asks each alias only whether it is in recovery; the number from 'replica'
        from course_project.lessons.read_replicas.lag import wal_positions

        behind = wal_positions()["bytes not replayed"]
        return {a: behind if in_recovery(a) else 0 for a in aliases}

    rejects(exercises, "bytes_not_replayed", fixed_server, hint="not a fixed one")

    def from_received(aliases):  # counts from what each standby has received, not what it has replayed
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            written = cursor.fetchone()[0]
        behind = {}
        for alias in aliases:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN pg_is_in_recovery() "
                    "THEN pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_receive_lsn()) ELSE 0 END",
                    [written],
                )
                behind[alias] = int(cursor.fetchone()[0])
        return behind

    rejects(exercises, "bytes_not_replayed", from_received, hint="replay is paused")

    def received_minus_replayed(aliases):  # the review's answer: the standby alone, blind to WAL it never received
        behind = {}
        for alias in aliases:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN pg_is_in_recovery() THEN "
                    "pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE 0 END"
                )
                behind[alias] = int(cursor.fetchone()[0])
        return behind

    rejects(exercises, "bytes_not_replayed", received_minus_replayed, hint="lost its WAL stream")
    rejects(
        exercises, "bytes_not_replayed", lambda aliases: [solutions.bytes_not_replayed(aliases)], hint="return a dict"
    )
    rejects(
        exercises,
        "bytes_not_replayed",
        lambda aliases: {a: str(v) for a, v in solutions.bytes_not_replayed(aliases).items()},
        hint="a number of bytes",
    )


def received_not_replayed(timeout=5.0):
    """A plausible mistake: waiting for the replica to receive the WAL, which it does while paused."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise TimeoutError("not received")


def newest_order_visible(timeout=5.0):
    """A plausible mistake: waiting for the newest Order, when the last write went to another table."""
    from course_project.lessons.read_replicas.lag import seconds_until_visible

    seconds_until_visible(Order, Order.objects.using("default").latest("id").number, timeout)


def always_gives_up(timeout=5.0):
    time.sleep(timeout)
    raise TimeoutError("gave up")


@EXERCISE_DB
@pytest.mark.timeout(120)
def test_wait_until_replayed(real_replica):
    accepts(exercises, "wait_until_replayed", solutions.wait_until_replayed)
    rejects(exercises, "wait_until_replayed", lambda timeout=5.0: None, hint="received is not replayed")
    rejects(exercises, "wait_until_replayed", lambda timeout=5.0: time.sleep(1), hint="received is not replayed")
    rejects(exercises, "wait_until_replayed", received_not_replayed, hint="compare pg_last_wal_replay_lsn()")
    rejects(exercises, "wait_until_replayed", newest_order_visible, hint="not an Order")
    rejects(exercises, "wait_until_replayed", always_gives_up, hint="TimeoutError")


def test_stubs_match():
    assert_stubs_match(exercises, "05_read_replicas.ipynb")
