"""Primary/replica routing for the `replicas` app, with read-your-writes and a fallback.

- Writes go to the primary (`default`); reads go to the streaming replica (`replica`).
- After a write, the rest of the request reads from the primary too ("read your writes"):
  a replica may lag behind, and a user who just saved something expects to see it.
  ReadYourWritesMiddleware starts each request unpinned, and after a request that wrote it sets a
  short-lived cookie, so that the same browser's next requests (the page a form redirects to)
  read from the primary for PIN_SECONDS too (the approach of django-multidb-router).
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

PIN_COOKIE = "pin_primary"
PIN_SECONDS = 5  # must outlast the replica's worst lag: measure it

# Why reads go to the primary right now: None (they don't), "write" or "cookie". A ContextVar is
# per thread and per asyncio task, so two requests served at once never share a pin.
_pinned = ContextVar("pinned_to_primary", default=None)
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
    return _pinned.get() is not None


@contextmanager
def request_scope(pinned_by: str | None = None):
    """One request's lifetime: starts unpinned (or pinned, by a cookie), and forgets the pin afterwards."""
    token = _pinned.set(pinned_by)
    try:
        yield
    finally:
        _pinned.reset(token)


class RequestPinMiddleware:
    """Each request starts unpinned; a write pins the rest of that request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)


class ReadYourWritesMiddleware(RequestPinMiddleware):
    """Like RequestPinMiddleware, and a request that wrote pins this browser's next PIN_SECONDS too."""

    def __call__(self, request):
        with request_scope("cookie" if PIN_COOKIE in request.COOKIES else None):
            response = self.get_response(request)
            wrote = _pinned.get() == "write"
        if wrote:  # this browser's next requests read from the primary too, for a few seconds
            response.set_cookie(PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True, samesite="Lax")
        return response


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in APP_LABELS:
            return None
        if is_pinned() or not replica_available():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in APP_LABELS:
            return None
        _pinned.set("write")
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._meta.app_label, obj2._meta.app_label} <= APP_LABELS:
            return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}  # the same data, wherever read
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label in APP_LABELS:
            return db == PRIMARY
        return None
