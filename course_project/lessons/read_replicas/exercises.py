"""Notebook 05's exercises (reference answers: solutions.py).

The checks make the answer's world change under it: aliases with names that say nothing, pointing
at the real primary, the real standby and pgBouncer (in front of the primary), and a replica whose
replay the checker pauses and resumes while the answer waits.
"""
import random
import threading
import time
import uuid
from contextlib import contextmanager

from django.db import connections
from django.db.utils import load_backend

from course_project.lessons.read_replicas.lag import in_recovery, pause_replay, resume_replay
from course_project.lessons.read_replicas.models import Order
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("05_read_replicas")


@contextmanager
def _neutral_aliases():
    """Aliases made up for the check, named db_<random>: the standby, the primary, and pgBouncer."""
    targets = [("replica", "replica"), ("postgres", "default"), ("pgbouncer", "bouncer")]
    random.shuffle(targets)
    made = []
    for server_name, like in targets:
        alias, server = f"db_{uuid.uuid4().hex[:6]}", servers()[server_name]
        settings_dict = {**connections.settings[like], "HOST": server.host, "PORT": str(server.port),
                         "NAME": server.database}
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
        made.append(alias)
    try:
        yield made
    finally:
        for alias in made:
            connections[alias].close()
            del connections[alias]


@exercises.add("in_recovery_map",
               "in_recovery_map(aliases): {alias: is the server behind it in recovery?}, asked from the servers",
               hint="Neither an alias's name nor its port tells you what is behind it (pgBouncer has a port of its "
                    "own and forwards to the primary). Open a cursor on connections[alias] and ask that server.")
def _(answer):
    with _neutral_aliases() as made:
        got = answer(list(made))
        assert isinstance(got, dict), f"return a dict, not {type(got).__name__}"
        for alias in made:
            truth = in_recovery(alias)
            port = connections[alias].settings_dict["PORT"]
            assert got.get(alias) is truth, (f"{alias!r} (an alias the checker made, port {port}) is on a server "
                                             f"whose pg_is_in_recovery() is {truth}, not {got.get(alias)!r}: "
                                             "ask each server")


def _committed_on_primary(tag: str) -> str:
    Order.objects.using("default").bulk_create([Order(number=f"W{tag}{i:02}") for i in range(5)])
    return f"W{tag}04"


def _on_replica(number: str) -> bool:
    return Order.objects.using("replica").filter(number=number).exists()


@exercises.add("wait_until_replayed",
               "wait_until_replayed(timeout=5.0): return once the replica has replayed all the primary had "
               "written when called; raise TimeoutError after timeout seconds",
               hint="Take the primary's position first: SELECT pg_current_wal_lsn() on 'default'. Then poll the "
                    "replica with SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, passing that position as a "
                    "parameter, until it is true or the time is up.")
def _(answer):
    tag = uuid.uuid4().hex[:6]
    try:
        pause_replay()
        try:
            number = _committed_on_primary(tag + "a")
            start = time.monotonic()
            try:
                answer(timeout=0.5)
            except TimeoutError:
                waited = time.monotonic() - start
                assert waited >= 0.4, f"TimeoutError after {waited:.2f} s, before the 0.5 s were up"
            else:
                raise AssertionError("it returned while replay was paused and the replica still lacked the rows "
                                     "(received is not replayed): compare pg_last_wal_replay_lsn() with the "
                                     "primary's pg_current_wal_lsn()")
            number = _committed_on_primary(tag + "b")
            threading.Timer(0.6, resume_replay).start()
            start = time.monotonic()
            answer(timeout=10)
            waited = time.monotonic() - start
        finally:
            time.sleep(0.7)  # the timer has resumed replay by now, whatever the answer did
            resume_replay()
        assert waited >= 0.5, f"it returned after {waited:.2f} s, before replay was resumed (0.6 s)"
        assert _on_replica(number), "it returned, but the rows written before the call are not on the replica yet"
    finally:
        Order.objects.using("default").filter(number__startswith=f"W{tag}").delete()
