"""Notebook 05's exercises (reference answers: solutions.py).

The checks make the answer's world change under it: aliases with names that say nothing, pointing
at the real primary, pgBouncer (in front of the primary), the real standby, and the standby again
through a relay on a port of its own; and a replica whose replay the checker pauses and resumes while
the answer waits, after a last write in another table than the one the lesson polls. While
bytes_not_replayed runs, the course's own `replica` alias is pointed at the primary, so an answer that reads
a fixed alias instead of the ones it is given fails, and the standby has lost its WAL stream after receiving
part of the primary's writes (written > received > replayed), so an answer must count from the primary's position.
"""

import random
import socket
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connections
from django.db.utils import load_backend

from course_project.lessons.read_replicas.lag import (
    pause_replay,
    resume_replay,
    seconds_until_visible,
    wait_until_received,
)
from course_project.lessons.read_replicas.models import Order
from course_project.runtime.admin_engines import postgres_connection
from course_project.runtime.checker import Exercises
from course_project.services.config import servers

exercises = Exercises("05_read_replicas")


@contextmanager
def _relay(host: str, port: int):
    """A plain TCP relay on a port of its own in front of host:port: a second door to the same server."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def serve():
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection((host, port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pump, args=(source, sink), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


@contextmanager
def _neutral_aliases():
    """Aliases made up for the check, named db_<random>: the primary, pgBouncer (in front of the primary),
    the standby, and the standby again through a relay on another port. {role: alias}"""
    replica = servers()["replica"]
    with _relay(replica.host, replica.port) as relay_port:
        targets = [
            ("primary", "postgres", "default", None),
            ("pgbouncer", "pgbouncer", "bouncer", None),
            ("standby", "replica", "replica", None),
            ("relayed standby", "replica", "replica", relay_port),
        ]
        random.shuffle(targets)
        made = {}
        for role, server_name, like, port in targets:
            alias, server = f"db_{uuid.uuid4().hex[:6]}", servers()[server_name]
            settings_dict = {
                **connections.settings[like],
                "HOST": server.host,
                "PORT": str(port or server.port),
                "NAME": server.database,
            }
            connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
            made[role] = alias
        try:
            yield made
        finally:
            for alias in made.values():
                connections[alias].close()
                del connections[alias]


@contextmanager
def _replica_alias_on_the_primary():
    """For the length of the call, the course's own `replica` alias reaches the primary: an answer that takes
    its numbers from that fixed alias, instead of from the aliases it is given, gets the primary's answers."""
    saved = connections["replica"]
    settings_dict = {**connections.settings["default"]}
    connections["replica"] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "replica")
    try:
        yield
    finally:
        connections["replica"].close()
        connections["replica"] = saved


def _poll(connection, sql: str, what: str, timeout: float = 15.0):
    """Poll a superuser connection until sql returns true; TimeoutError naming what did not happen."""
    deadline = time.monotonic() + timeout
    while not connection.execute(sql).fetchone()[0]:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:.0f} s")
        time.sleep(0.02)


@contextmanager
def _wal_stream_lost():
    """The standby loses its WAL stream, as when the network drops: the primary ends its walsender. While replay
    is paused, the standby does not reconnect (its startup process restarts the WAL receiver only when it waits for
    more WAL to replay); on leaving, replay resumes and the checker waits until the standby streams again."""
    with postgres_connection() as primary, postgres_connection(server="replica") as standby:
        try:
            primary.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_replication")
            _poll(
                standby,
                "SELECT NOT EXISTS (SELECT FROM pg_stat_wal_receiver)",
                "the replica's WAL receiver did not stop",
            )
            yield
        finally:
            resume_replay()
            _poll(
                standby,
                "SELECT EXISTS (SELECT FROM pg_stat_wal_receiver WHERE status = 'streaming')",
                "the replica is not streaming from the primary again (./course services status)",
            )


def _scalar(alias: str, sql: str, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@exercises.add(
    "bytes_not_replayed",
    "bytes_not_replayed(aliases): {alias: bytes of WAL the primary has written that the server behind "
    "the alias has not replayed yet (0 for a primary)}, asked from the servers",
    hint="Neither an alias's name nor its port tells you what is behind it (pgBouncer and a relay have "
    "ports of their own). Take the primary's pg_current_wal_lsn() once; then ask each alias's server "
    "pg_is_in_recovery(), and a standby its pg_last_wal_replay_lsn(); pg_wal_lsn_diff(a, b) is a - b "
    "in bytes.",
)
def _(answer):
    tag = uuid.uuid4().hex[:6]
    pause_replay()
    try:
        with _neutral_aliases() as made:
            Order.objects.using("default").bulk_create([Order(number=f"N{tag}{i:02}") for i in range(5)])
            # received catches up while replay stays paused; then the stream is cut and the primary writes on:
            # written > received > replayed, so counting from received, or up to it, gives too little
            wait_until_received(_scalar(made["primary"], "SELECT pg_current_wal_lsn()::text"), made["standby"])
            with _wal_stream_lost():
                Order.objects.using("default").bulk_create([Order(number=f"N{tag}{i:02}") for i in range(5, 10)])
                received, replayed = _scalar(
                    made["standby"], "SELECT ARRAY[pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text]"
                )
                low = int(_scalar(made["primary"], "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [replayed]))
                unreceived = int(
                    _scalar(made["primary"], "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [received])
                )
                if not 0 < unreceived < low:  # the check's own set-up, not the answer, went wrong
                    raise RuntimeError("the standby kept streaming: written > received > replayed does not hold")
                with _replica_alias_on_the_primary():
                    try:
                        got = answer(list(made.values()))
                    except Exception as error:  # noqa: BLE001 (the learner's error, with what the check changed)
                        raise AssertionError(
                            f"{type(error).__name__}: {error} (during this check the course's own 'replica' alias "
                            "reaches the primary: ask each alias you are given, not a fixed one)"
                        ) from None
                high = int(
                    _scalar(made["primary"], "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [replayed])
                )
            assert isinstance(got, dict), f"return a dict, not {type(got).__name__}"
            for role, alias in made.items():
                port, value = connections[alias].settings_dict["PORT"], got.get(alias)
                standby = role.endswith("standby")
                assert alias in got, (
                    f"{alias!r} (an alias the checker made, port {port}) is not in your dict: "
                    "ask the server behind each alias you are given"
                )
                assert isinstance(value, (int, Decimal)) and not isinstance(value, bool), (
                    f"{alias!r} (port {port}): give a number of bytes, not {value!r}"
                )
                if standby:
                    assert low <= value <= high, (
                        f"{alias!r} (an alias the checker made, port {port}) is on a standby {low} bytes behind "
                        f"the primary (replay is paused), not {value}: ask each server. The standby has lost its "
                        f"WAL stream, {unreceived} of those bytes never reached it: count from the primary's "
                        "pg_current_wal_lsn() to the standby's replayed position (what it received plays no part)"
                    )
                else:
                    assert value == 0, (
                        f"{alias!r} (an alias the checker made, port {port}) is on a primary, "
                        f"which is 0 bytes behind itself, not {value}: ask each server"
                    )
    finally:
        resume_replay()
        Order.objects.using("default").filter(number__startswith=f"N{tag}").delete()


def _committed_on_primary(tag: str) -> str:
    """A row in another table than Order (auth's Group): a wait that watches Order misses it."""
    name = f"replayed-{tag}"
    Group.objects.using("default").create(name=name)
    return name


def _on_replica(name: str) -> bool:
    return Group.objects.using("replica").filter(name=name).exists()


@exercises.add(
    "wait_until_replayed",
    "wait_until_replayed(timeout=5.0): return once the replica has replayed all the primary had "
    "written when called; raise TimeoutError after timeout seconds",
    hint="Take the primary's position first: SELECT pg_current_wal_lsn() on 'default'. Then poll the "
    "replica with SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, passing that position as a "
    "parameter, until it is true or the time is up.",
)
def _(answer):
    tag = uuid.uuid4().hex[:6]
    try:
        Order.objects.using("default").create(number=f"W{tag}")
        seconds_until_visible(Order, f"W{tag}")  # the newest Order is on the replica before the pause
        pause_replay()
        try:
            name = _committed_on_primary(tag + "a")
            start = time.monotonic()
            try:
                answer(timeout=0.5)
            except TimeoutError:
                waited = time.monotonic() - start
                assert waited >= 0.4, f"TimeoutError after {waited:.2f} s, before the 0.5 s were up"
            else:
                raise AssertionError(
                    "it returned while replay was paused and the replica still lacked the last "
                    "write (a row in auth_group, not an Order; and received is not replayed): "
                    "compare pg_last_wal_replay_lsn() with the primary's pg_current_wal_lsn()"
                )
            name = _committed_on_primary(tag + "b")
            threading.Timer(0.6, resume_replay).start()
            start = time.monotonic()
            answer(timeout=10)
            waited = time.monotonic() - start
        finally:
            time.sleep(0.7)  # the timer has resumed replay by now, whatever the answer did
            resume_replay()
        assert waited >= 0.5, f"it returned after {waited:.2f} s, before replay was resumed (0.6 s)"
        assert _on_replica(name), "it returned, but the row written before the call is not on the replica yet"
    finally:
        Order.objects.using("default").filter(number=f"W{tag}").delete()
        Group.objects.using("default").filter(name__startswith=f"replayed-{tag}").delete()
