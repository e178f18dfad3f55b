"""Notebook 14's exercises (reference answers: solutions.py).

The concurrency checks run the learner's function in real threads against PostgreSQL. To make a
race show up on every run rather than now and then, each thread pauses right after a plain SELECT
of the table (not after SELECT ... FOR UPDATE) until every thread has read: exactly the timing in
which read-modify-write goes wrong in production.
"""
import threading
from decimal import Decimal

from django.apps.registry import Apps
from django.db import connections, models

from course_project.runtime.checker import Exercises
from course_project.lessons.modern_orm.models import Job, StockItem
from course_project.lessons.modern_orm.threads import run_threads

exercises = Exercises("14_modern_orm")


def pause_after_plain_reads(table: str, barrier: threading.Barrier):
    """An execute_wrapper: after this thread's first plain SELECT on `table`, wait for the others."""
    state = {"waited": False}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if (not state["waited"] and sql.lstrip().upper().startswith("SELECT") and table in sql
                and "FOR UPDATE" not in sql.upper()):
            state["waited"] = True
            try:
                barrier.wait()
            except threading.BrokenBarrierError:  # not every thread reads first: nothing to line up
                pass
        return result

    return wrapper


def in_threads(n, table, call):
    """call(i) in n threads, each with the pause-after-read wrapper on its own connection."""
    barrier = threading.Barrier(n, timeout=3)

    def work(i):
        with connections["default"].execute_wrapper(pause_after_plain_reads(table, barrier)):
            return call(i)

    return run_threads(work, n)


def first_error(results, hint=""):
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise AssertionError(f"a thread raised {type(errors[0]).__name__}: {str(errors[0]).splitlines()[0]}{hint}")


@exercises.add("increment_stock", "increment_stock(pk, n): add n to a StockItem's stock, safe when 8 threads run it at once")
def _(answer):
    StockItem.objects.filter(name__startswith="checker").delete()
    item = StockItem.objects.create(name="checker", stock=0)
    bystander = StockItem.objects.create(name="checker-other", stock=7)
    answer(item.pk, 3)
    item.refresh_from_db()
    assert item.stock == 3, f"increment_stock(pk, 3) on a stock of 0 left {item.stock}, not 3"
    first_error(in_threads(8, StockItem._meta.db_table, lambda i: answer(item.pk, 5)))
    item.refresh_from_db()
    bystander.refresh_from_db()
    assert bystander.stock == 7, "another item's stock changed: filter on pk"
    assert item.stock == 43, (f"8 threads each added 5 to 3: the stock is {item.stock}, not 43. Updates were lost: "
                              "read-modify-write in Python; let the database add, with F('stock') + n")
    StockItem.objects.filter(name__startswith="checker").delete()


@exercises.add("claim_job", "claim_job(worker): take the oldest queued Job for worker, return its name (None if none); "
                            "never block on a job another worker holds")
def _(answer):
    Job.objects.all().delete()
    Job.objects.bulk_create([Job(name=f"check-{i:02}") for i in range(12)])

    def drain(i):
        names = []
        for _ in range(13):  # 12 jobs at most, then None
            name = answer(f"w{i}")
            if name is None:
                return names
            names.append(name)
        return names

    results = in_threads(6, Job._meta.db_table, drain)
    first_error(results, ". With nowait=True a locked job is an error: skip it instead, skip_locked=True")
    claimed = [name for names in results for name in names]
    twice = sorted({name for name in claimed if claimed.count(name) > 1})
    assert not twice, (f"{twice[0]} was claimed {claimed.count(twice[0])} times by workers running at once: "
                       "lock the row you claim, select_for_update() inside transaction.atomic()")
    assert sorted(claimed) == [f"check-{i:02}" for i in range(12)], \
        f"{len(claimed)} distinct claims for 12 queued jobs: return each claimed job's name, None when none is left"
    owners = {job.name: job.worker for job in Job.objects.all()}
    for i, names in enumerate(results):
        assert all(owners[name] == f"w{i}" for name in names), "set status='taken' and worker on the job you claim"
    assert set(Job.objects.values_list("status", flat=True)) == {"taken"}, "every claimed job must be status='taken'"

    # One job held by another worker: claim_job must skip it, not wait (lock_timeout turns a wait into an error).
    Job.objects.all().delete()
    Job.objects.bulk_create([Job(name=f"check-{i:02}") for i in range(3)])
    locked, release = threading.Event(), threading.Event()

    def hold_first(i):
        from django.db import transaction

        with transaction.atomic():
            Job.objects.select_for_update().get(name="check-00")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=run_threads, args=(hold_first, 1))
    holder.start()
    try:
        assert locked.wait(5), "could not lock a job for the check"
        got = run_threads(lambda i: _with_lock_timeout(answer, "probe"), 1)[0]
    finally:
        release.set()
        holder.join()
    if isinstance(got, Exception):
        raise AssertionError(f"with check-00 locked by another worker, claim_job raised {type(got).__name__}: "
                             f"{str(got).splitlines()[0]}. Skip locked rows: select_for_update(skip_locked=True)")
    assert got == "check-01", f"with check-00 locked by another worker, claim_job returned {got!r}, not 'check-01'"
    Job.objects.all().delete()


def _with_lock_timeout(answer, worker):
    with connections["default"].cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")
    try:
        return answer(worker)
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def generated_line_items(expression, alias):
    """A throwaway table whose `total` is GENERATED from the learner's expression."""
    registry = Apps()

    class CheckLineItem(models.Model):
        price = models.DecimalField(max_digits=8, decimal_places=2)
        quantity = models.IntegerField()
        total = models.GeneratedField(expression=expression, db_persist=True,
                                      output_field=models.DecimalField(max_digits=12, decimal_places=2))

        class Meta:
            app_label = "modern_orm"
            apps = registry
            db_table = "modern_orm_check_lineitem"

    with connections[alias].cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS modern_orm_check_lineitem")
    with connections[alias].schema_editor() as editor:
        editor.create_model(CheckLineItem)
    return CheckLineItem


@exercises.add("line_total", "line_total: a GeneratedField expression, price × quantity with 10% off from 10 items")
def _(answer):
    from django.db.models.expressions import Combinable, Expression

    assert isinstance(answer, (Expression, Combinable)), "an expression such as F(...) * F(...) or Case(When(...))"
    for alias in ("default", "legacy"):
        Model = generated_line_items(answer, alias)
        try:
            items = Model.objects.using(alias)
            items.bulk_create([Model(price=Decimal("2.50"), quantity=10), Model(price=Decimal("4.00"), quantity=3),
                               Model(price=Decimal("1.20"), quantity=20)])
            got = list(items.order_by("id").values_list("total", flat=True))
            assert got == [Decimal("22.50"), Decimal("12.00"), Decimal("21.60")], \
                f"{alias}: totals {[str(t) for t in got]}, expected 22.50, 12.00, 21.60: 10 or more items get 10% off"
            items.filter(price=Decimal("2.50")).update(quantity=4)  # the database recomputes the total
            items.filter(price=Decimal("4.00")).update(quantity=10)
            got = list(items.order_by("id").values_list("total", flat=True))
            assert got == [Decimal("10.00"), Decimal("36.00"), Decimal("21.60")], \
                f"{alias}: after changing quantities the totals are {[str(t) for t in got]}: use F('price') and F('quantity')"
        finally:
            with connections[alias].schema_editor() as editor:
                editor.delete_model(Model)
