"""Notebook 05's exercises (reference answers: solutions.py).

The checks make the answer's world change under it: aliases the learner has never seen, pointing
at the real primary and the real standby, and a replica whose replay the checker pauses while it
writes, so that the lag has a value only the servers know.
"""
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
def _aliases_to_the_real_servers():
    """Two aliases made up for the check: one to the standby, one to the primary."""
    made = {f"standby_{uuid.uuid4().hex[:6]}": servers()["replica"],
            f"primary_{uuid.uuid4().hex[:6]}": servers()["postgres"]}
    for alias, server in made.items():
        settings_dict = {**connections.settings["default"], "HOST": server.host, "PORT": str(server.port),
                         "NAME": server.database}
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    try:
        yield list(made)
    finally:
        for alias in made:
            connections[alias].close()
            del connections[alias]


@exercises.add("in_recovery_map", "in_recovery_map(aliases): {alias: is that server in recovery?}, asked from the servers")
def _(answer):
    with _aliases_to_the_real_servers() as made:
        aliases = [*made, "default", "replica"]
        got = answer(aliases)
        assert isinstance(got, dict), f"return a dict, not {type(got).__name__}"
        for alias in aliases:
            truth = in_recovery(alias)
            assert got.get(alias) is truth, (f"{alias!r} (a new alias the checker made) is on a server whose "
                                             f"pg_is_in_recovery() is {truth}, not {got.get(alias)!r}: ask each server"
                                             if alias in made else f"{alias!r}: the server says {truth}")


def _lag_now() -> int:
    """The checker's own measurement (the same formula as the reference)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication")
        return int(cursor.fetchone()[0])


def _steady_reading(answer) -> tuple:
    """Call the answer between two measurements that agree (nothing moved meanwhile)."""
    for _ in range(20):
        before, got, after = _lag_now(), answer(), _lag_now()
        if before == after:
            return before, got
    raise AssertionError("the lag kept moving while the checker measured it: run the check again")


@exercises.add("lag_bytes", "lag_bytes(): WAL bytes the replica has not replayed, from pg_stat_replication")
def _(answer):
    tag = uuid.uuid4().hex[:6]
    pause_replay()
    try:
        readings = []
        for n in range(2):
            Order.objects.using("default").bulk_create([Order(number=f"Q{tag}{n}{i:02}") for i in range(20)])
            truth, got = _steady_reading(answer)
            assert isinstance(got, int) and not isinstance(got, bool), f"return an int, not {type(got).__name__}"
            assert got == truth, (f"with replay paused, {truth} bytes of WAL are received but not replayed; your "
                                  f"function said {got}: measure from pg_current_wal_lsn() to replay_lsn")
            readings.append(truth)
        assert readings[1] > readings[0] > 0, "the lag should have grown while replay was paused"
    finally:
        resume_replay()
        Order.objects.using("default").filter(number__startswith=f"Q{tag}").delete()
