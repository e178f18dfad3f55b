"""Notebook 14: Django 5.x database features on every backend, and races in SQL, against the live servers."""
import asyncio
import json
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from asgiref.sync import sync_to_async
from django.apps.registry import Apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from django.db import (DatabaseError, IntegrityError, NotSupportedError, OperationalError, ProgrammingError,
                       connections, models, transaction)
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.operations import CreateModel
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ModelState, ProjectState
from django.db.models import F, Func, Value
from django.db.models.functions import Now
from django_mongodb_backend.fields import ObjectIdAutoField

from course_project.env import PROJECT_ROOT
from course_project.lessons.modern_orm import solutions
from course_project.lessons.modern_orm.exercises import exercises
from course_project.lessons.modern_orm.models import (Account, Enrollment, Job, LineItem, StockItem, Ticket,
                                                      VirtualLineItem)
from course_project.lessons.modern_orm.sqlite import fresh_sqlite_tables
from course_project.lessons.modern_orm.threads import run_threads

pytestmark = pytest.mark.django_db(databases=["default", "legacy", "sqlite", "mongodb"])
SQL = ["default", "legacy", "sqlite"]
RACE = ["default", "legacy"]
threaded = pytest.mark.django_db(databases=["default", "legacy", "sqlite", "mongodb"], transaction=True)


def ddl(alias, model):
    with connections[alias].schema_editor(collect_sql=True) as editor:
        editor.create_model(model)
    return "\n".join(editor.collected_sql)


def scratch():
    return Apps(["course_project.lessons.modern_orm"])


@pytest.fixture(scope="module", autouse=True)
def sqlite_tables(django_db_setup, django_db_blocker):
    """The lesson's tables in the SQLite test database (the notebook makes them the same way)."""
    with django_db_blocker.unblock():
        assert "modern_orm_lineitem" in fresh_sqlite_tables()


# --- 1. Composite primary keys -------------------------------------------------------------------

@pytest.mark.parametrize("alias", SQL)
def test_composite_pk_is_a_table_constraint_and_pk_is_a_tuple(alias):
    quote = "`" if alias == "legacy" else '"'
    assert f"PRIMARY KEY ({quote}student_id{quote}, {quote}course_code{quote})" in ddl(alias, Enrollment)
    enrollments = Enrollment.objects.using(alias)
    enrollments.bulk_create([Enrollment(student_id=1, course_code="DB101", grade="A"),
                             Enrollment(student_id=2, course_code="DB101")])
    assert enrollments.get(pk=(1, "DB101")).grade == "A"
    assert enrollments.get(pk=(2, "DB101")).pk == (2, "DB101")
    assert enrollments.filter(pk__in=[(1, "DB101"), (3, "X")]).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic(using=alias):
        Enrollment(student_id=1, course_code="DB101").save(using=alias, force_insert=True)


def test_a_foreign_key_to_a_composite_pk_fails_the_checks():
    registry = scratch()

    class Seat(models.Model):
        pk = models.CompositePrimaryKey("room", "number")
        room = models.CharField(max_length=5)
        number = models.IntegerField()

        class Meta:
            app_label = "modern_orm"
            apps = registry

    class Booking(models.Model):
        seat = models.ForeignKey(Seat, on_delete=models.CASCADE)

        class Meta:
            app_label = "modern_orm"
            apps = registry

    assert [p.id for p in Booking.check()] == ["fields.E347"]


def test_the_admin_refuses_a_composite_pk():
    with pytest.raises(ImproperlyConfigured, match="composite primary key"):
        admin.AdminSite(name="test14").register(Enrollment)


@threaded  # DDL on MariaDB commits: no wrapping transaction
@pytest.mark.parametrize("alias", RACE)
def test_migrating_an_id_to_a_composite_pk_silently_drops_the_key(alias):
    columns = [("user_id", models.IntegerField()), ("team_id", models.IntegerField())]
    before, after = ProjectState(), ProjectState()
    before.add_model(ModelState("modern_orm", "Membership", [("id", models.BigAutoField(primary_key=True)), *columns]))
    after.add_model(ModelState("modern_orm", "Membership", [("pk", models.CompositePrimaryKey("user_id", "team_id")),
                                                            ("id", models.BigIntegerField()), *columns]))
    operations = MigrationAutodetector(before, after, NonInteractiveMigrationQuestioner())._detect_changes()[
        "modern_orm"][0].operations
    connection, state = connections[alias], ProjectState()
    try:
        for operation in [CreateModel("Membership", [("id", models.BigAutoField(primary_key=True)), *columns]),
                          *operations]:
            new_state = state.clone()
            operation.state_forwards("modern_orm", new_state)
            with connection.schema_editor() as editor:
                operation.database_forwards("modern_orm", editor, state, new_state)
            state = new_state
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "modern_orm_membership")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS modern_orm_membership")
    assert [c["columns"] for c in constraints.values() if c["primary_key"]] == []


def test_mongodb_saves_composite_pk_models_without_uniqueness_and_refuses_pk_lookups():
    class MongoEnrollment(models.Model):
        pk = models.CompositePrimaryKey("student_id", "course_code")
        student_id = models.IntegerField()
        course_code = models.CharField(max_length=10)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()
            db_table = "modern_orm_test_enrollment"

    mongo = connections["mongodb"]
    with mongo.schema_editor() as editor:
        editor.create_model(MongoEnrollment)
    try:
        for _ in range(2):
            MongoEnrollment.objects.using("mongodb").create(student_id=1, course_code="DB101")
        assert MongoEnrollment.objects.using("mongodb").count() == 2
        with pytest.raises(NotSupportedError, match="ColPairs is not supported"):
            MongoEnrollment.objects.using("mongodb").get(pk=(1, "DB101"))
    finally:
        with mongo.schema_editor() as editor:
            editor.delete_model(MongoEnrollment)


# --- 2. Generated columns ------------------------------------------------------------------------

@pytest.mark.parametrize("alias", SQL)
def test_a_stored_generated_column_is_recomputed_and_needs_a_refresh(alias):
    assert "GENERATED ALWAYS AS" in ddl(alias, LineItem) and ddl(alias, LineItem).rstrip(");").endswith("STORED")
    item = LineItem.objects.using(alias).create(price="2.50", quantity=4)
    assert item.total == Decimal("10.00")  # read back by RETURNING
    item.quantity = 10
    item.save(using=alias)
    assert item.total == Decimal("10.00")
    item.refresh_from_db(using=alias)
    assert item.total == Decimal("25.00")
    with pytest.raises(DatabaseError), transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("UPDATE modern_orm_lineitem SET total = 1")


@pytest.mark.parametrize("alias", ["legacy", "sqlite"])
def test_virtual_generated_columns_on_mariadb_and_sqlite(alias):
    assert ddl(alias, VirtualLineItem).rstrip(");").endswith("VIRTUAL")
    VirtualLineItem.objects.using(alias).create(price="1.25", quantity=3)
    VirtualLineItem.objects.using(alias).update(quantity=F("quantity") * 2)
    assert VirtualLineItem.objects.using(alias).values_list("quantity", "total").get() == (6, Decimal("7.50"))


def test_postgresql_has_virtual_generated_columns_from_18_on_and_django_52_does_not_know():
    class PgVirtual(models.Model):
        price = models.IntegerField()
        total = models.GeneratedField(expression=F("price") * 2, output_field=models.IntegerField(), db_persist=False)

        class Meta:
            app_label = "modern_orm"
            apps = scratch()

    # Django 5.2's check refuses them on every PostgreSQL, 18 included; the server's answer is per version.
    assert [p.id for p in PgVirtual._meta.get_field("total").check(databases=["default"])] == ["fields.E221"]
    if connections["default"].pg_version < 180000:
        with pytest.raises(ProgrammingError, match='syntax error at or near "VIRTUAL"'), \
                connections["default"].schema_editor() as editor:
            editor.create_model(PgVirtual)
        return
    with connections["default"].schema_editor() as editor:  # rolled back with the test's transaction
        editor.create_model(PgVirtual)
    PgVirtual.objects.create(price=21)
    PgVirtual.objects.update(price=F("price") + 1)
    assert PgVirtual.objects.values_list("price", "total").get() == (22, 44)


@threaded
@pytest.mark.parametrize("alias,message", [("default", "generation expression is not immutable"),
                                           ("legacy", "cannot be used in the GENERATED ALWAYS AS clause"),
                                           ("sqlite", "non-deterministic use of strftime() in a generated column")])
def test_a_non_deterministic_generated_column_is_refused(alias, message):
    class Stamped(models.Model):
        name = models.CharField(max_length=10)
        at = models.GeneratedField(expression=Now(), output_field=models.DateTimeField(), db_persist=True)

        class Meta:
            app_label = "modern_orm"
            apps = scratch()

    try:
        with pytest.raises(DatabaseError) as raised:
            with connections[alias].schema_editor() as editor:
                editor.create_model(Stamped)
            Stamped.objects.using(alias).create(name="x")  # SQLite accepts the table, not the row
        assert message in str(raised.value)
    finally:
        with connections[alias].cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS modern_orm_stamped")


def test_mongodb_has_no_generated_fields():
    class MongoLineItem(models.Model):
        id = ObjectIdAutoField(primary_key=True)
        price = models.IntegerField()
        total = models.GeneratedField(expression=F("price") * 2, output_field=models.IntegerField(), db_persist=True)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()

    assert "fields.E220" in [p.id for p in MongoLineItem._meta.get_field("total").check(databases=["mongodb"])]


# --- 3. db_default versus default ----------------------------------------------------------------

@pytest.mark.parametrize("alias", SQL)
def test_db_default_is_in_the_ddl_and_reaches_raw_inserts_but_default_does_not(alias):
    sql = ddl(alias, Ticket)
    assert "DEFAULT 3" in sql and "status` varchar(10) NOT NULL," in sql.replace('"', "`")
    ticket = Ticket.objects.using(alias).create(title="orm")
    assert (ticket.status, ticket.priority) == ("new", 3) and ticket.opened_at is not None
    with connections[alias].cursor() as cursor:
        with pytest.raises(IntegrityError), transaction.atomic(using=alias):
            cursor.execute("INSERT INTO modern_orm_ticket (title) VALUES ('raw, no status')")
        cursor.execute("INSERT INTO modern_orm_ticket (title, status) VALUES ('raw', 'new')")
    raw = Ticket.objects.using(alias).get(title="raw")
    assert raw.priority == 3 and raw.opened_at is not None


def test_mongodb_cannot_encode_a_db_default():
    from bson.errors import InvalidDocument

    class MongoTicket(models.Model):
        id = ObjectIdAutoField(primary_key=True)
        title = models.CharField(max_length=50)
        priority = models.IntegerField(db_default=3)

        class Meta:
            app_label = "mongo_orm"
            apps = scratch()
            db_table = "modern_orm_test_ticket"

    try:
        with pytest.raises(InvalidDocument, match="DatabaseDefault"):
            MongoTicket.objects.using("mongodb").create(title="x")
    finally:
        connections["mongodb"].database.drop_collection("modern_orm_test_ticket")


# --- 4. The async ORM ----------------------------------------------------------------------------

@threaded  # the async ORM runs in a worker thread, on a connection of its own
def test_the_async_orm_methods():
    Job.objects.bulk_create([Job(name=f"job-{i:02}") for i in range(5)])

    async def main():
        return (await Job.objects.acount(), (await Job.objects.aget(name="job-03")).name,
                [j.name async for j in Job.objects.filter(name__lt="job-02")],
                [j.name async for j in Job.objects.order_by("-id").aiterator(chunk_size=2)],
                await sync_to_async(connections.close_all)())  # the async ORM's worker thread's connection

    assert asyncio.run(main()) == (5, "job-03", ["job-00", "job-01"],
                                   ["job-04", "job-03", "job-02", "job-01", "job-00"], None)


def test_without_the_variable_sync_orm_calls_in_an_event_loop_fail(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)

    async def main():
        Job.objects.count()

    with pytest.raises(SynchronousOnlyOperation, match="use a thread or sync_to_async"):
        asyncio.run(main())


class PgSleep(Func):
    function = "pg_sleep"
    output_field = models.TextField()


@threaded
def test_gather_is_concurrent_with_psycopg_async_but_not_with_the_async_orm():
    from psycopg_pool import AsyncConnectionPool

    Job.objects.create(name="one")
    n, sleep = 4, 0.2
    slow = Job.objects.annotate(s=PgSleep(Value(sleep))).values_list("s", flat=True)[:1]
    db = connections["default"].settings_dict
    kwargs = dict(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"])

    async def main():
        async with AsyncConnectionPool(kwargs=kwargs, min_size=n, max_size=n, open=False) as pool:
            await pool.wait()

            async def query():
                async with pool.connection() as conn:
                    await conn.execute("SELECT pg_sleep(%s)", [sleep])

            start = time.perf_counter()
            await asyncio.gather(*(query() for _ in range(n)))
            concurrent = time.perf_counter() - start
        start = time.perf_counter()
        await asyncio.gather(*(slow.afirst() for _ in range(n)))
        orm = time.perf_counter() - start
        await sync_to_async(connections.close_all)()
        return concurrent, orm

    concurrent, orm = asyncio.run(main())
    assert concurrent < 2 * sleep, concurrent
    assert orm > 0.8 * n * sleep, orm  # one query after another, in the async ORM's one worker thread


ASGI_PROBE = """
import asyncio, json
from course_project.runtime.bootstrap import django_setup
django_setup()
from django.db import connections
from course_project.lessons.modern_orm.asgi import add_alias, asgi_get
add_alias("asgi_persistent", CONN_MAX_AGE=60)
add_alias("asgi_pool", CONN_MAX_AGE=0, OPTIONS={"pool": {"min_size": 1, "max_size": 2}})
async def main(alias):
    return [(await asgi_get(f"/pid/{alias}/"))["pid"] for _ in range(4)]
print(json.dumps({alias: asyncio.run(main(alias)) for alias in ("asgi_persistent", "asgi_pool")}))
connections["asgi_pool"].close_pool()
"""


def test_under_asgi_persistent_connections_are_never_reused_but_a_pool_is():
    """In a fresh process (Django's real ASGI handler, no test-case machinery), on the course database:
    the view only asks PostgreSQL for its process id."""
    probe = subprocess.run([sys.executable, "-c", ASGI_PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           timeout=60)
    assert probe.returncode == 0, probe.stderr
    pids = json.loads(probe.stdout)
    assert len(set(pids["asgi_persistent"])) == 4
    assert len(set(pids["asgi_pool"])) <= 2


# --- 5. Races in SQL -----------------------------------------------------------------------------

def shop(alias, balance=100):
    Account.objects.using(alias).all().delete()
    return Account.objects.using(alias).create(name="shop", balance=balance)


@threaded
@pytest.mark.parametrize("alias", RACE)
def test_read_modify_write_loses_an_update_and_f_does_not(alias):
    shop(alias)
    both_read = threading.Barrier(2)

    def deposit(i):
        account = Account.objects.using(alias).get(name="shop")
        both_read.wait()
        account.balance += 10
        account.save(using=alias, update_fields=["balance"])

    run_threads(deposit, 2)
    assert Account.objects.using(alias).get(name="shop").balance == 110
    shop(alias)
    ready = threading.Barrier(8)

    def deposit_f(i):
        ready.wait()
        Account.objects.using(alias).filter(name="shop").update(balance=F("balance") + 10)

    run_threads(deposit_f, 8)
    assert Account.objects.using(alias).get(name="shop").balance == 180


@threaded
@pytest.mark.parametrize("alias", RACE)
def test_select_for_update_serialises_read_decide_write(alias):
    shop(alias)
    ready = threading.Barrier(2)

    def withdraw(i):
        ready.wait()
        with transaction.atomic(using=alias):
            account = Account.objects.using(alias).select_for_update().get(name="shop")
            if account.balance < 60:
                return "refused"
            account.balance -= 60
            account.save(using=alias, update_fields=["balance"])
            return "paid"

    assert sorted(run_threads(withdraw, 2)) == ["paid", "refused"]
    assert Account.objects.using(alias).get(name="shop").balance == 40


@threaded
@pytest.mark.parametrize("alias,message", [("default", 'could not obtain lock on row in relation "modern_orm_account"'),
                                           ("legacy", "1205")])
def test_nowait_fails_at_once_on_a_locked_row(alias, message):
    shop(alias)
    locked, release = threading.Event(), threading.Event()

    def hold(i):
        with transaction.atomic(using=alias):
            Account.objects.using(alias).select_for_update().get(name="shop")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=run_threads, args=(hold, 1))
    holder.start()
    try:
        assert locked.wait(5)
        with pytest.raises(DatabaseError, match=message), transaction.atomic(using=alias):
            Account.objects.using(alias).select_for_update(nowait=True).get(name="shop")
        with transaction.atomic(using=alias):
            assert list(Account.objects.using(alias).select_for_update(skip_locked=True)) == []
    finally:
        release.set()
        holder.join()


@threaded
@pytest.mark.parametrize("alias", RACE)
def test_skip_locked_workers_claim_distinct_jobs(alias):
    Job.objects.using(alias).bulk_create([Job(name=f"job-{i:02}") for i in range(16)])

    def worker(i):
        names = []
        while True:
            with transaction.atomic(using=alias):
                job = Job.objects.using(alias).select_for_update(skip_locked=True).filter(status="queued").first()
                if job is None:
                    return names
                time.sleep(0.01)
                job.status, job.worker = "taken", f"w{i}"
                job.save(using=alias, update_fields=["status", "worker"])
                names.append(job.name)

    claims = [name for names in run_threads(worker, 4) for name in names]
    assert sorted(claims) == [f"job-{i:02}" for i in range(16)]


@threaded
@pytest.mark.parametrize("alias,message", [("default", "deadlock detected"), ("legacy", "1213")])
def test_a_deadlock_is_detected_and_a_retry_succeeds(alias, message):
    Account.objects.using(alias).bulk_create([Account(name="a", balance=100), Account(name="b", balance=100)])
    both_locked = threading.Barrier(2, timeout=10)
    caught = []

    def transfer(i):
        source, target, amount = ("a", "b", 10) if i == 0 else ("b", "a", 30)
        for attempt in range(3):
            if attempt:
                time.sleep(0.2)
            try:
                with transaction.atomic(using=alias):
                    accounts = Account.objects.using(alias).select_for_update()
                    accounts.get(name=source)
                    if attempt == 0:
                        both_locked.wait()
                    accounts.get(name=target)
                    accounts.filter(name=source).update(balance=F("balance") - amount)
                    accounts.filter(name=target).update(balance=F("balance") + amount)
                return attempt + 1
            except OperationalError as e:
                caught.append(str(e))

    assert sorted(run_threads(transfer, 2)) == [1, 2]
    assert len(caught) == 1 and message in caught[0]
    assert dict(Account.objects.using(alias).values_list("name", "balance")) == {"a": 120, "b": 80}


# --- Exercises -----------------------------------------------------------------------------------

def result(answers, name):
    return next(r for r in exercises.check(answers).results if r.name == name)


def test_notebook_stubs_are_the_exercises():
    notebook = json.loads((PROJECT_ROOT / "notebooks" / "14_modern_orm.ipynb").read_text())
    stubs = ["".join(c["source"]).split(" = ")[0] for c in notebook["cells"]
             if c["cell_type"] == "code" and "".join(c["source"]).strip().endswith(" = ...")]
    assert stubs == exercises.names


@threaded
def test_reference_answers_pass():
    report = exercises.check(vars(solutions))
    assert report.all_passed, str(report)
    assert exercises.check({}).passed == 0


@threaded
def test_increment_stock_constant_and_read_modify_write_fail():
    assert result({"increment_stock": lambda pk, n: None}, "increment_stock").message == \
        "increment_stock(pk, 3) on a stock of 0 left 0, not 3"

    def read_modify_write(pk, n):
        item = StockItem.objects.get(pk=pk)
        item.stock += n
        item.save()

    r = result({"increment_stock": read_modify_write}, "increment_stock")
    assert r.passed is False and "Updates were lost" in r.message and "F('stock') + n" in r.message, r.message


def _claim(worker, lock=None):
    with transaction.atomic():
        jobs = Job.objects.filter(status="queued").order_by("id")
        job = (jobs.select_for_update(**lock) if lock is not None else jobs).first()
        if job is None:
            return None
        job.status, job.worker = "taken", worker
        job.save(update_fields=["status", "worker"])
        return job.name


@threaded
def test_claim_job_constant_unlocked_and_blocking_answers_fail():
    constant = result({"claim_job": lambda worker: "check-00"}, "claim_job")
    assert constant.passed is False and "was claimed" in constant.message

    unlocked = result({"claim_job": lambda worker: _claim(worker)}, "claim_job")
    assert unlocked.passed is False and "check-00 was claimed 6 times" in unlocked.message
    assert "select_for_update()" in unlocked.message

    blocking = result({"claim_job": lambda worker: _claim(worker, lock={})}, "claim_job")
    assert blocking.passed is False and "lock timeout" in blocking.message and "skip_locked=True" in blocking.message

    nowait = result({"claim_job": lambda worker: _claim(worker, lock={"nowait": True})}, "claim_job")
    assert nowait.passed is False and "could not obtain lock" in nowait.message


@threaded
def test_line_total_constant_and_no_discount_fail():
    constant = result({"line_total": Value(Decimal("22.50"))}, "line_total")
    assert constant.passed is False and "22.50, 22.50, 22.50" in constant.message.replace("'", "")

    no_discount = result({"line_total": F("price") * F("quantity")}, "line_total")
    assert no_discount.passed is False and "10 or more items get 10% off" in no_discount.message

    not_an_expression = result({"line_total": Decimal("22.50")}, "line_total")
    assert not_an_expression.passed is False and "an expression" in not_an_expression.message


def test_the_lesson_never_migrates_onto_sqlite():
    """Notebook 01 lists the tables migrate makes on `sqlite`: this lesson's must not be among them."""
    from django.apps import apps
    from django.db import router

    lesson = list(apps.get_app_config("modern_orm").get_models())
    assert not any(router.allow_migrate_model("sqlite", model) for model in lesson)
    assert all(router.allow_migrate_model("default", model) for model in lesson if model is not VirtualLineItem)
    assert router.allow_migrate_model("legacy", VirtualLineItem) and not router.allow_migrate_model("default",
                                                                                                     VirtualLineItem)
