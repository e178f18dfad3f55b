"""The course's MongoDB connections, built once from settings and the environment.

PyMongo:     from course_project.runtime.mongo import database; database()["posts"]
MongoEngine: from course_project.runtime.mongo import connect_mongoengine; connect_mongoengine()

The URI carries the app user's credentials and authSource=admin (the user is defined in
the admin database). No authMechanism is set: PyMongo asks the server which SCRAM
mechanisms the user has and picks SCRAM-SHA-256, the default since MongoDB 4.0.

Both clients report to COMMANDS, a PyMongo CommandListener: `with COMMANDS.watch() as sent:`
records the commands sent meanwhile (exercise checkers count them: "one find", "no read").
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from pymongo import monitoring

from course_project.env import env
from course_project.services.config import mongo_uri

TIMEOUTS = {"serverSelectionTimeoutMS": 3000, "connectTimeoutMS": 3000}
# The syllabus's pool settings, shared by PyMongo and MongoEngine, but minPoolSize 0 instead of 10:
# a minimum makes a background task refill the pool, and it logs a traceback whenever a refill fails
# (the fault lessons stop servers on purpose).
POOL = {"maxPoolSize": 50, "minPoolSize": 0, "maxIdleTimeMS": 45000, "waitQueueTimeoutMS": 10000}


@dataclass
class Sent:
    name: str  # the command: find, aggregate, update, insert, getMore ...
    body: dict  # what the driver sent (filter, projection, updates ...)
    returned: int = 0  # documents in the reply's cursor batch (reads)


class CommandLog(monitoring.CommandListener):
    """The commands a client sends, recorded only while a block watches."""

    HANDSHAKE = {"hello", "ismaster", "isMaster", "saslStart", "saslContinue", "endSessions"}

    def __init__(self):
        self._lock = threading.Lock()
        self._watchers, self._pending = [], {}

    @contextmanager
    def watch(self):
        sent = []
        with self._lock:
            self._watchers.append(sent)
        try:
            yield sent
        finally:
            with self._lock:
                self._watchers.remove(sent)

    def started(self, event):
        if event.command_name in self.HANDSHAKE:
            return
        with self._lock:
            if self._watchers:
                self._pending[event.request_id] = record = Sent(event.command_name, dict(event.command))
                for sent in self._watchers:
                    sent.append(record)

    def succeeded(self, event):
        with self._lock:
            record = self._pending.pop(event.request_id, None)
        if record is not None:
            cursor = event.reply.get("cursor") or {}
            record.returned = len(cursor.get("firstBatch", cursor.get("nextBatch", [])))

    def failed(self, event):
        with self._lock:
            self._pending.pop(event.request_id, None)


COMMANDS = CommandLog()


@cache
def client():
    """One MongoClient per process (it is thread-safe and pools its own connections)."""
    from pymongo import MongoClient

    return MongoClient(mongo_uri(), tz_aware=True, **TIMEOUTS, **POOL, event_listeners=[COMMANDS])


def database(name: str | None = None):
    return client()[name or env("MONGO_DB")]


def connect_mongoengine(alias: str = "default", listeners: tuple = ()):
    """Register the course's MongoEngine connection under alias; listeners also see its commands.
    Idempotent: an alias already registered keeps its settings and listeners."""
    import mongoengine
    from mongoengine.connection import _connection_settings

    if alias not in _connection_settings:
        mongoengine.connect(
            db=env("MONGO_DB"),
            host=mongo_uri(database=env("MONGO_DB")),
            alias=alias,
            tz_aware=True,
            uuidRepresentation="standard",
            **TIMEOUTS,
            **POOL,
            event_listeners=[COMMANDS, *listeners],
        )
    return mongoengine.get_connection(alias)
