"""Notebook 16's exercises (reference answers: solutions.py).

transfer runs the learner's function in real threads against PostgreSQL. Two execute_wrappers make the
races show up on every run rather than now and then: each thread pauses after its first plain SELECT of the
accounts (so every thread has read before any writes: a lost update), and after its first statement that
locks an account row (so two transfers in opposite directions each hold one row: a deadlock, unless the
rows are locked in one fixed order). The wrapper also notes every UPDATE run outside a transaction, and
every locking SELECT of several rows without an ORDER BY (its lock order is whatever order the database
happens to scan the rows in). A third wrapper fails a transfer's second UPDATE, as a crash would: the two
writes must then stand or fall together.
"""

import asyncio
import contextlib
import inspect
import os
import sys
import sysconfig
import threading
from pathlib import Path

import asgiref
import django
from asgiref.sync import sync_to_async
from django.db import connections
from django.db.backends.signals import connection_created

from course_project.lessons.async_orm.models import Account, Job
from course_project.lessons.async_orm.threads import run_threads
from course_project.runtime.checker import Exercises

exercises = Exercises("16_async_orm")
TABLE = Account._meta.db_table


def is_plain_read(sql: str) -> bool:
    upper = sql.lstrip().upper()
    return upper.startswith("SELECT") and TABLE in sql and "FOR UPDATE" not in upper


def locks_rows(sql: str) -> bool:
    upper = sql.lstrip().upper()
    return TABLE in sql and ("FOR UPDATE" in upper or upper.startswith("UPDATE"))


def is_update(sql: str) -> bool:
    return sql.lstrip().upper().startswith("UPDATE") and TABLE in sql


def locks_several_rows_unordered(sql: str) -> bool:
    upper = sql.upper()
    return "FOR UPDATE" in upper and (" IN (" in upper or " OR " in upper) and "ORDER BY" not in upper


def line_up(barrier: threading.Barrier):
    # a broken barrier: the others are waiting for a lock this thread holds, so go on
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait()


class Crash(Exception):
    """What the checker raises in place of a transfer's second UPDATE."""


def crashing_wrapper():
    """An execute_wrapper that lets the first UPDATE of the accounts run and fails the second one."""
    updates = []

    def wrapper(execute, sql, params, many, context):
        if is_update(sql):
            updates.append(sql)
            if len(updates) == 2:
                raise Crash("the process died between the two writes")
        return execute(sql, params, many, context)

    return wrapper


def racing(read_barrier, lock_barrier, statements, outside_transaction):
    """An execute_wrapper that records this thread's SQL and lines the threads up at the risky moments."""
    state = {"read": False, "locked": False}

    def wrapper(execute, sql, params, many, context):
        if is_update(sql) and not context["connection"].in_atomic_block:
            outside_transaction.append(sql)
        result = execute(sql, params, many, context)
        statements.append(sql)
        if is_plain_read(sql) and not state["read"]:
            state["read"] = True
            line_up(read_barrier)
        elif locks_rows(sql) and not state["locked"]:
            state["locked"] = True
            line_up(lock_barrier)
        return result

    return wrapper


def transfers_at_once(answer, calls):
    """answer(*call) for each call, all in threads at once; the results (or exceptions) and all SQL."""
    read_barrier = threading.Barrier(len(calls), timeout=2)
    lock_barrier = threading.Barrier(2, timeout=1.5)
    statements, outside_transaction = [], []

    def work(i):
        with connections["default"].execute_wrapper(
            racing(read_barrier, lock_barrier, statements, outside_transaction)
        ):
            return answer(*calls[i])

    results = run_threads(work, len(calls))
    assert_in_one_transaction(outside_transaction)
    return results, statements


def assert_in_one_transaction(outside_transaction):
    if outside_transaction:
        raise AssertionError(
            "transfer runs an UPDATE outside a transaction: each one commits on its own, so a "
            "crash between the two moves money out of one account and into none. Put the check "
            "and both writes in transaction.atomic()"
        )


def balances(*names):
    return dict(Account.objects.filter(name__in=names).values_list("name", "balance"))


def raised(results):
    errors = [r for r in results if isinstance(r, Exception)]
    return f"{type(errors[0]).__name__}: {str(errors[0]).splitlines()[0]}" if errors else None


@exercises.add(
    "transfer",
    "transfer(source, target, amount): move money between two Accounts by name; refuse "
    "(return False) when the source has less than amount; safe when many run at once",
    hint="Two dangers: a balance changing between your read and your write, and two transfers each "
    "holding the row the other one needs. A single locking read of both rows, in an order that "
    "does not depend on the direction, inside one transaction, removes both.",
)
def _(answer):
    Account.objects.filter(name__startswith="chk-").delete()
    Account.objects.bulk_create(
        [Account(name="chk-a", balance=100), Account(name="chk-b", balance=100), Account(name="chk-c", balance=50)]
    )
    statements, outside_transaction = [], []
    with connections["default"].execute_wrapper(
        racing(threading.Barrier(1), threading.Barrier(1), statements, outside_transaction)
    ):
        moved = answer("chk-a", "chk-b", 30)
        refused = answer("chk-a", "chk-b", 500)
        whole = answer("chk-c", "chk-b", 50)
    assert (moved, refused) == (True, False), (
        f"transfer(a, b, 30) from 100 returned {moved!r}, transfer(a, b, 500) from 70 returned {refused!r}: "
        "return True when the money moved, False when the source has too little"
    )
    assert whole is True, (
        f"transfer(c, b, 50) from a balance of exactly 50 returned {whole!r}: a source that holds exactly "
        "amount has enough (refuse only when its balance is less than amount)"
    )
    assert balances("chk-a", "chk-b", "chk-c") == {"chk-a": 70, "chk-b": 180, "chk-c": 0}, (
        f"after a -> b 30 and c -> b 50: {balances('chk-a', 'chk-b', 'chk-c')}, not a=70, b=180, c=0"
    )
    assert_in_one_transaction(outside_transaction)
    if any(locks_several_rows_unordered(sql) for sql in statements):
        raise AssertionError(
            "transfer locks both rows in one SELECT ... FOR UPDATE with no ORDER BY: the rows are "
            "then locked in whatever order the database scans them, which can change from one "
            "query plan to the next. Give the lock a fixed order: order_by('pk')"
        )
    if any(is_plain_read(sql) and "balance" in sql for sql in statements):
        raise AssertionError(
            "transfer reads the balance with a plain SELECT and writes later: another process "
            "(a Python lock covers only this one) can write in between. Lock the rows in the "
            "database: select_for_update()"
        )

    # A crash between the two writes: both stand (a retry) or neither, never one.
    Account.objects.filter(name="chk-a").update(balance=100)
    Account.objects.filter(name="chk-b").update(balance=100)
    with contextlib.suppress(Crash), connections["default"].execute_wrapper(crashing_wrapper()):
        answer("chk-a", "chk-b", 10)
    got = balances("chk-a", "chk-b")
    if got not in ({"chk-a": 100, "chk-b": 100}, {"chk-a": 90, "chk-b": 110}):
        raise AssertionError(
            f"the second UPDATE of transfer(a, b, 10) failed (as if the process died) and left "
            f"{got}: the first write was committed without the second. The check and both "
            "writes belong in ONE transaction.atomic() block"
        )

    # Opposite directions at once: 4 times a -> b 10, 4 times b -> a 20.
    Account.objects.filter(name="chk-a").update(balance=100)
    Account.objects.filter(name="chk-b").update(balance=100)
    calls = [("chk-a", "chk-b", 10) if i % 2 == 0 else ("chk-b", "chk-a", 20) for i in range(8)]
    results, _ = transfers_at_once(answer, calls)
    error = raised(results)
    if error and ("deadlock" in error.lower() or "1213" in error):
        raise AssertionError(
            f"two transfers in opposite directions deadlocked ({error}): lock both rows in one "
            "fixed order, e.g. select_for_update() on both, order_by('pk')"
        )
    assert error is None, f"a transfer raised {error}"
    got = balances("chk-a", "chk-b")
    assert got == {"chk-a": 140, "chk-b": 60}, (
        f"8 transfers at once (4 x a->b 10, 4 x b->a 20) left {got}, not a=140, b=60: updates were lost"
    )

    # Three withdrawals of 30 from 50 at once: exactly one may succeed.
    Account.objects.filter(name="chk-a").update(balance=50)
    Account.objects.filter(name="chk-c").update(balance=50)
    results, _ = transfers_at_once(answer, [("chk-a", "chk-c", 30)] * 3)
    assert raised(results) is None, f"a transfer raised {raised(results)}"
    got = balances("chk-a", "chk-c")
    assert sorted(results) == [False, False, True] and got == {"chk-a": 20, "chk-c": 80}, (
        f"3 transfers of 30 from a balance of 50 at once returned {sorted(results)} and left {got}: the check "
        "and the write must see the same locked row (check, then write, inside one transaction)"
    )
    Account.objects.filter(name__startswith="chk-").delete()


@exercises.add(
    "status_counts",
    "async status_counts(): {status: number of Jobs} on `default`, with the async "
    "ORM, in one query that counts in the database",
    hint="In the ORM, GROUP BY comes from values() followed by annotate(). A queryset can be read with `async for`.",
)
def _(answer):
    assert inspect.iscoroutinefunction(answer), "status_counts must be an async def function"
    for queued, taken, failed in ((3, 2, 1), (1, 4, 0)):
        Job.objects.all().delete()
        Job.objects.bulk_create(
            [Job(name=f"q{i}") for i in range(queued)]
            + [Job(name=f"t{i}", status="taken") for i in range(taken)]
            + [Job(name=f"f{i}", status="failed") for i in range(failed)]
        )
        expected = {status: n for status, n in (("queued", queued), ("taken", taken), ("failed", failed)) if n}
        got, statements = run_guarded(answer)
        if isinstance(got, Exception):
            raise AssertionError(
                f"status_counts raised {type(got).__name__}: {str(got).splitlines()[0]}. "
                "In async code use the async ORM (acount, aget, async for), not the sync one"
            )
        assert got == expected, f"status_counts() returned {got!r}, not {expected!r}"
        job_queries = [sql for sql, _ in statements if Job._meta.db_table in sql]
        wrapped = {code for _, codes in statements for code in codes}
        assert not wrapped, (
            f"status_counts hands synchronous code ({', '.join(sorted(wrapped))}) to sync_to_async: that works, "
            "but the task is the async ORM itself (async for over a queryset, or its a... methods)"
        )
        assert len(job_queries) == 1 and "COUNT(" in job_queries[0].upper() and "GROUP BY" in job_queries[0].upper(), (
            f"{len(job_queries)} queries on the jobs table, not one COUNT ... GROUP BY: count in the database"
        )
    Job.objects.all().delete()


def run_guarded(answer):
    """Run the coroutine in a thread of its own, with Django's async-safety guard on, recording its SQL."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, code_outside_the_libraries()))
        return execute(sql, params, many, context)

    def watch(sender, connection, **kwargs):  # the async ORM's worker thread opens a connection of its own
        if connection.alias == "default" and record not in connection.execute_wrappers:
            connection.execute_wrappers.append(record)

    async def main():
        await sync_to_async(connections.close_all)()  # so that the answer's first query opens one, watched
        try:
            return await answer()
        finally:
            await sync_to_async(connections.close_all)()

    saved = os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    connection_created.connect(watch)
    try:
        got = run_threads(lambda i: asyncio.run(main()), 1)[0]
    finally:
        connection_created.disconnect(watch)
        if saved is not None:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved
    return got, statements


LIBRARIES = tuple(str(Path(module.__file__).resolve().parent) for module in (django, asgiref)) + (
    str(Path(sysconfig.get_paths()["stdlib"]).resolve()),
    str(Path(__file__).resolve()),
)


def code_outside_the_libraries() -> set:
    """Functions on this thread's stack that are neither Django's, asgiref's, Python's nor this checker's:
    with the async ORM, the worker thread runs only Django's code."""
    frame, found = sys._getframe(1), set()
    while frame is not None:
        if not str(Path(frame.f_code.co_filename).resolve()).startswith(LIBRARIES):
            found.add(frame.f_code.co_name)
        frame = frame.f_back
    return found
