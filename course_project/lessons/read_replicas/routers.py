"""Primary/replica routing for the `replicas` app, with read-your-writes and a fallback.

- Writes go to the primary (`default`); reads go to the streaming replica (`replica`).
- After a write, the rest of the request reads from the primary too ("read your writes"):
  a replica may lag behind, and a user who just saved something expects to see it.
  ReadYourWritesMiddleware (or `request_scope()`) limits that pin to one request.
- If the replica does not answer, reads fall back to the primary. Its health is checked at
  most every HEALTH_TTL seconds, so a dead replica costs one refused connection, not one per query.
"""
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

from course_project.services.config import servers
from course_project.services.probes import probe

PRIMARY, REPLICA = "default", "replica"
REPLICA_SERVER = "replica"  # the server behind the alias (course_project/services)
APP_LABELS = {"replicas"}
HEALTH_TTL = 2.0

_pinned = ContextVar("pinned_to_primary", default=False)
_health = {"checked_at": float("-inf"), "ok": True}


def replica_available(force: bool = False) -> bool:
    """Can the replica take reads? A separate, short connection attempt (never Django's own
    connection, which may be inside a transaction), remembered for HEALTH_TTL seconds."""
    now = time.monotonic()
    if force or now - _health["checked_at"] >= HEALTH_TTL:
        ok = probe(servers()[REPLICA_SERVER]).ok
        if not ok:
            connections[REPLICA].close()  # drop a connection to a server that went away
        _health.update(ok=ok, checked_at=now)
    return _health["ok"]


def is_pinned() -> bool:
    return _pinned.get()


@contextmanager
def request_scope():
    """One request's lifetime: starts unpinned, and forgets the pin afterwards."""
    token = _pinned.set(False)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReadYourWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in APP_LABELS:
            return None
        if _pinned.get() or not replica_available():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in APP_LABELS:
            return None
        _pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True  # the same data, wherever it was read
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label in APP_LABELS:
            return db == PRIMARY
        return None
