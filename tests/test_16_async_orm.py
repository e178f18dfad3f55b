"""Notebook 16: the async ORM, ASGI and races in SQL, against the live servers."""

import asyncio
import json
import subprocess
import sys
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.core.exceptions import SynchronousOnlyOperation
from django.db import DatabaseError, OperationalError, connections, models, transaction
from django.db.models import Count, F, Func, Value
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project.env import PROJECT_ROOT
from course_project.lessons.async_orm import solutions
from course_project.lessons.async_orm.exercises import exercises
from course_project.lessons.async_orm.models import Account, Job
from course_project.lessons.async_orm.threads import run_threads

pytestmark = pytest.mark.django_db(databases=["default", "legacy"])
RACE = ["default", "legacy"]
threaded = pytest.mark.django_db(databases=["default", "legacy"], transaction=True)

# --- 4. The async ORM ----------------------------------------------------------------------------


@threaded  # the async ORM runs in a worker thread, on a connection of its own
def test_the_async_orm_methods():
    Job.objects.bulk_create([Job(name=f"job-{i:02}") for i in range(5)])

    async def main():
        return (
            await Job.objects.acount(),
            (await Job.objects.aget(name="job-03")).name,
            [j.name async for j in Job.objects.filter(name__lt="job-02")],
            [j.name async for j in Job.objects.order_by("-id").aiterator(chunk_size=2)],
            await sync_to_async(connections.close_all)(),
        )  # the async ORM's worker thread's connection

    assert asyncio.run(main()) == (
        5,
        "job-03",
        ["job-00", "job-01"],
        ["job-04", "job-03", "job-02", "job-01", "job-00"],
        None,
    )


def test_without_the_variable_sync_orm_calls_in_an_event_loop_fail(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)

    async def main():
        Job.objects.count()

    with pytest.raises(SynchronousOnlyOperation, match="use a thread or sync_to_async"):
        asyncio.run(main())


@threaded
def test_atomic_in_a_coroutine_fails_and_sync_to_async_runs_it(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    shop("default")

    def deposit():
        with transaction.atomic():
            Account.objects.filter(name="shop").update(balance=F("balance") + 10)

    async def main():
        with pytest.raises(SynchronousOnlyOperation):
            deposit()
        await sync_to_async(deposit)()
        await sync_to_async(connections.close_all)()

    asyncio.run(main())
    assert Account.objects.get(name="shop").balance == 110


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
from course_project.lessons.async_orm.asgi import add_alias, asgi_get
add_alias("asgi_persistent", CONN_MAX_AGE=60)
add_alias("asgi_pool", CONN_MAX_AGE=0, OPTIONS={"pool": {"min_size": 1, "max_size": 2}})
async def main(alias):
    return [await asgi_get(f"/pid/{alias}/") for _ in range(4)]
print(json.dumps({alias: asyncio.run(main(alias)) for alias in ("asgi_persistent", "asgi_pool")}))
connections["asgi_pool"].close_pool()
"""


def test_under_asgi_persistent_connections_are_never_reused_but_a_pool_is():
    """In a fresh process (Django's real ASGI handler, no test-case machinery), on the course database:
    the view only asks PostgreSQL for its process id."""
    probe = subprocess.run(
        [sys.executable, "-c", ASGI_PROBE], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 0, probe.stderr
    replies = json.loads(probe.stdout)
    assert len({r["pid"] for r in replies["asgi_persistent"]}) == 4
    assert len({r["thread"] for r in replies["asgi_persistent"]}) == 4  # one thread per request
    assert len({r["pid"] for r in replies["asgi_pool"]}) <= 2


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
@pytest.mark.parametrize(
    "alias,message", [("default", 'could not obtain lock on row in relation "async_orm_account"'), ("legacy", "1205")]
)
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


def test_notebook_stubs_are_the_exercises():
    assert_stubs_match(exercises, "16_async_orm.ipynb")


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


@threaded
def test_reference_answers_pass():
    accepts(exercises, "transfer", solutions.transfer)
    accepts(exercises, "status_counts", solutions.status_counts)
    assert exercises.check({}, record=False).passed == 0


@threaded
def test_transfer_constants_fail():
    rejects(exercises, "transfer", lambda source, target, amount: True, hint="returned True")
    rejects(exercises, "transfer", lambda source, target, amount: False, hint="returned False")


PYTHON_LOCK = threading.Lock()


def read_modify_save(source, target, amount):
    with PYTHON_LOCK, transaction.atomic():  # a Python lock: one process only
        a, b = Account.objects.get(name=source), Account.objects.get(name=target)
        if a.balance < amount:
            return False
        a.balance, b.balance = a.balance - amount, b.balance + amount
        a.save(), b.save()
        return True


def lock_in_call_order(source, target, amount):
    with transaction.atomic():
        a = Account.objects.select_for_update().get(name=source)
        Account.objects.select_for_update().get(name=target)
        if a.balance < amount:
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True


def check_then_update_unlocked(source, target, amount):
    with transaction.atomic():
        if Account.objects.filter(name=source, balance__lt=amount).exists():
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True


def conditional_updates_without_a_transaction(source, target, amount):
    """Each UPDATE commits on its own: no deadlock, no lost update, but a crash in between loses money."""
    if Account.objects.filter(name=source, balance__gte=amount).update(balance=F("balance") - amount):
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True
    return False


def conditional_updates_in_a_transaction(source, target, amount):
    """The first UPDATE locks the source row, the second the target: opposite directions deadlock."""
    with transaction.atomic():
        return conditional_updates_without_a_transaction(source, target, amount)


def lock_both_in_scan_order(source, target, amount):
    with transaction.atomic():
        balance = dict(
            Account.objects.select_for_update().filter(name__in=[source, target]).values_list("name", "balance")
        )
        if balance[source] < amount:
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True


def two_transactions(source, target, amount):
    """Ordered locks and F(), but the second write commits in a transaction of its own."""
    with transaction.atomic():
        rows = {a.name: a for a in Account.objects.select_for_update().filter(name__in=[source, target]).order_by("pk")}
        if rows[source].balance < amount:
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
    with transaction.atomic():
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
    return True


def refuses_the_whole_balance(source, target, amount):
    """Right in every way but one: a source holding exactly amount is refused."""
    with transaction.atomic():
        rows = Account.objects.select_for_update().filter(name__in=[source, target]).order_by("pk")
        if {a.name: a.balance for a in rows}[source] <= amount:
            return False
        Account.objects.filter(name=source).update(balance=F("balance") - amount)
        Account.objects.filter(name=target).update(balance=F("balance") + amount)
        return True


@threaded
def test_transfer_wrong_answers_fail_with_their_hint():
    rejects(exercises, "transfer", read_modify_save, hint="Lock the rows in the database")
    rejects(exercises, "transfer", lock_in_call_order, hint="deadlocked")
    rejects(exercises, "transfer", check_then_update_unlocked, hint="Lock the rows in the database")
    rejects(exercises, "transfer", conditional_updates_without_a_transaction, hint="outside a transaction")
    rejects(exercises, "transfer", conditional_updates_in_a_transaction, hint="deadlocked")
    rejects(exercises, "transfer", lock_both_in_scan_order, hint="order_by('pk')")
    rejects(exercises, "transfer", two_transactions, hint="ONE transaction.atomic() block")
    rejects(exercises, "transfer", refuses_the_whole_balance, hint="exactly 50 returned False")


@threaded
def test_status_counts_wrong_answers_fail():
    async def constant():
        return {"queued": 3, "taken": 2, "failed": 1}

    async def sync_orm():
        return {s: Job.objects.filter(status=s).count() for s in ("queued", "taken", "failed")}

    async def one_query_per_status():
        counts = {s: await Job.objects.filter(status=s).acount() for s in ("queued", "taken", "failed")}
        return {s: n for s, n in counts.items() if n}

    async def counted_in_python():
        statuses = [job.status async for job in Job.objects.all()]
        return {s: statuses.count(s) for s in set(statuses)}

    rejects(exercises, "status_counts", lambda: {"queued": 3}, hint="async def")
    rejects(exercises, "status_counts", constant, hint="0 queries on the jobs table")
    rejects(exercises, "status_counts", sync_orm, hint="SynchronousOnlyOperation")
    rejects(exercises, "status_counts", one_query_per_status, hint="3 queries on the jobs table")
    rejects(exercises, "status_counts", counted_in_python, hint="count in the database")
    rejects(exercises, "status_counts", sync_orm_in_sync_to_async, hint="hands synchronous code")


async def sync_orm_in_sync_to_async():
    return await sync_to_async(lambda: dict(Job.objects.values_list("status").annotate(Count("id")).order_by()))()
