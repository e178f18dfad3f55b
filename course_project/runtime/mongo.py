"""The course's MongoDB connections, built once from settings and the environment.

PyMongo:     from course_project.runtime.mongo import database; database()["posts"]
MongoEngine: from course_project.runtime.mongo import connect_mongoengine; connect_mongoengine()

The URI carries the app user's credentials and authSource=admin (the user is defined in
the admin database). No authMechanism is set: PyMongo asks the server which SCRAM
mechanisms the user has and picks SCRAM-SHA-256, the default since MongoDB 4.0.
"""
from functools import lru_cache

from course_project.env import env
from course_project.services.config import mongo_uri

TIMEOUTS = {"serverSelectionTimeoutMS": 3000, "connectTimeoutMS": 3000}
# The syllabus's pool settings, shared by PyMongo and MongoEngine, but minPoolSize 0 instead of 10:
# a minimum makes a background task keep reopening connections, which while a server is down
# (the fault lessons stop servers on purpose) prints a traceback every few seconds.
POOL = {"maxPoolSize": 50, "minPoolSize": 0, "maxIdleTimeMS": 45000, "waitQueueTimeoutMS": 10000}


@lru_cache(maxsize=None)
def client():
    """One MongoClient per process (it is thread-safe and pools its own connections)."""
    from pymongo import MongoClient

    return MongoClient(mongo_uri(), tz_aware=True, **TIMEOUTS, **POOL)


def database(name: str | None = None):
    return client()[name or env("MONGO_DB")]


def connect_mongoengine(alias: str = "default"):
    """Register the course's MongoEngine connection (idempotent)."""
    import mongoengine
    from mongoengine.connection import _connection_settings

    if alias not in _connection_settings:
        mongoengine.connect(db=env("MONGO_DB"), host=mongo_uri(database=env("MONGO_DB")), alias=alias,
                            tz_aware=True, uuidRepresentation="standard", **TIMEOUTS, **POOL)
    return mongoengine.get_connection(alias)
