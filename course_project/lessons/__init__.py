"""The lessons: one Django app per notebook, in course order. This list is the course map.

    notebooks/NN_<slug>.ipynb  <->  course_project/lessons/<slug>/  <->  tests/test_NN_<slug>.py

Settings install the apps from here, the README's map and notebook 00's table are drawn from
here, and tests/test_course_map.py checks that the three sides exist and nothing else does.
Every app keeps the AppConfig.label it was born with, so tables and migrations never move.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    topic: str
    servers: tuple
    sub_apps: tuple = ()  # further apps inside the lesson's folder (04's analytics)

    @property
    def notebook(self) -> str:
        return f"{self.number}_{self.slug}.ipynb"

    @property
    def test_file(self) -> str:
        return f"test_{self.number}_{self.slug}.py"

    @property
    def app(self) -> str:
        return f"{__name__}.{self.slug}"

    @property
    def apps(self) -> list:
        return [self.app] + [f"{self.app}.{sub}" for sub in self.sub_apps]


ALL = ("postgres", "replica", "pgbouncer", "mariadb", "mongodb")
LESSONS = [
    Lesson("00", "start_here", "Tour, server status, a first query on each database", ALL),
    Lesson("01", "sqlite", "SQLite: configuration, migrations, locking, pros and cons", ()),
    Lesson("02", "postgresql", "PostgreSQL: users and PG15 grants, arrays, JSON, full-text and trigram search",
           ("postgres",)),
    Lesson("03", "mysql_mariadb", "MySQL/MariaDB: least privilege, two drivers, strict mode, utf8mb4, differences",
           ("mariadb", "postgres")),
    Lesson("04", "multiple_databases", "Several databases: routers, migrate per alias, copies, cross-database limits",
           ("postgres", "mariadb"), sub_apps=("analytics",)),
    Lesson("05", "read_replicas", "Read replicas: routing, measured lag, stale reads, read-your-writes, failover",
           ("postgres", "replica")),
    Lesson("06", "mongodb_pymongo", "MongoDB with PyMongo: JSON views fixed, queries, aggregation, indexes, injection",
           ("mongodb",)),
    Lesson("07", "mongodb_mongoengine", "MongoDB with MongoEngine: documents, indexes, embedded updates, query traps",
           ("mongodb",)),
    Lesson("08", "mongodb_django_orm", "MongoDB through the Django ORM: django-mongodb-backend, and djongo (legacy)",
           ("mongodb",)),
    Lesson("09", "hybrid_sql_mongo", "A hybrid app: PostgreSQL catalogue, MongoDB analytics, races, faults, consistency",
           ("postgres", "mongodb")),
    Lesson("10", "connection_pooling", "Connection pooling measured: new, persistent, Django's pool, pgBouncer, MongoDB",
           ("postgres", "pgbouncer", "mariadb", "mongodb")),
    Lesson("11", "migrations", "Migrations: a real history back and forth, --fake, resets, MongoDB, zero downtime",
           ("postgres", "mariadb", "mongodb")),
    Lesson("12", "best_practices", "Best practices done: env settings, indexes proven, N+1 fixed, injection, least privilege",
           ("postgres", "mariadb")),
    Lesson("13", "troubleshooting", "Troubleshooting: stopped servers, passwords, ports, pg_hba, limits, conflicts, doctor",
           ALL),
    Lesson("14", "modern_orm", "Django 5.x ORM: composite keys, generated columns, db_default, async, races in SQL",
           ("postgres", "mariadb", "mongodb")),
    Lesson("15", "testing_multiple_databases",
           "Testing several databases: TestCase, test databases, mirrors, on_commit, routers, MongoDB",
           ("postgres", "replica", "mongodb")),
]


def installed_apps() -> list:
    return [app for lesson in LESSONS for app in lesson.apps]


def table() -> str:
    """The map as plain text (notebook 00)."""
    lines = [("notebook", "topic", "servers")]
    lines += [(lesson.notebook, lesson.topic, ", ".join(lesson.servers) or "none") for lesson in LESSONS]
    widths = [max(len(r[i]) for r in lines) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines)
