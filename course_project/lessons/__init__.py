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
    minutes: tuple  # a learner's time through it, (shortest, longest): the notebook's first cell says it too
    sub_apps: tuple = ()  # further apps inside the lesson's folder (04's analytics)

    @property
    def time_range(self) -> str:
        return f"{self.minutes[0]}–{self.minutes[1]} min"

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
# A table, one lesson per entry, read across: kept as written.
# fmt: off
LESSONS = [
    Lesson("00", "start_here", "Tour, server status, a first query on each database", ALL, (15, 20)),
    Lesson("01", "sqlite", "SQLite: configuration, migrations, locking, pros and cons", (), (50, 70)),
    Lesson("02", "postgresql", "PostgreSQL: users and PG15 grants, arrays, JSON, full-text and trigram search",
           ("postgres",), (60, 80)),
    Lesson("03", "mysql_mariadb", "MySQL/MariaDB: least privilege, two drivers, strict mode, utf8mb4, differences",
           ("mariadb", "postgres"), (55, 75)),
    Lesson("04", "multiple_databases", "Several databases: routers, migrate per alias, copies, cross-database limits",
           ("postgres", "mariadb"), (60, 75), sub_apps=("analytics",)),
    Lesson("05", "read_replicas", "Read replicas: routing, measured lag, stale reads, read-your-writes, failover",
           ("postgres", "replica"), (60, 80)),
    Lesson("06", "mongodb_pymongo", "MongoDB with PyMongo: JSON views fixed, queries, aggregation, indexes, injection",
           ("mongodb",), (60, 75)),
    Lesson("07", "mongodb_mongoengine", "MongoDB with MongoEngine: documents, indexes, embedded updates, query traps",
           ("mongodb",), (50, 65)),
    Lesson("08", "mongodb_django_orm", "MongoDB through the Django ORM: django-mongodb-backend, and djongo (legacy)",
           ("mongodb",), (45, 60)),
    Lesson("09", "hybrid_sql_mongo",
           "A hybrid app: PostgreSQL catalogue, MongoDB analytics, races, faults, consistency",
           ("postgres", "mongodb"), (50, 70)),
    Lesson("10", "connection_pooling",
           "Connection pooling measured: new, persistent, Django's pool, pgBouncer, MongoDB",
           ("postgres", "pgbouncer", "mariadb", "mongodb"), (50, 65)),
    Lesson("11", "migrations", "Migrations: a real history back and forth, --fake, resets, MongoDB, zero downtime",
           ("postgres", "mariadb", "mongodb"), (55, 75), sub_apps=("zero_downtime",)),
    Lesson("12", "best_practices",
           "Best practices done: env settings, indexes proven, N+1 fixed, injection, least privilege",
           ("postgres", "mariadb"), (60, 75)),
    Lesson("13", "troubleshooting",
           "Troubleshooting: stopped servers, passwords, ports, pg_hba, limits, conflicts, doctor",
           ALL, (45, 60)),
    Lesson("14", "modern_orm", "Django 5.x ORM: composite keys, generated columns, db_default",
           ("postgres", "mariadb", "mongodb"), (55, 75)),
    Lesson("15", "testing_multiple_databases",
           "Testing several databases: TestCase, test databases, mirrors, on_commit, routers, MongoDB",
           ("postgres", "replica", "mongodb"), (60, 80)),
    Lesson("16", "async_orm",
           "Async views and the ORM, and races in SQL: F(), select_for_update, skip_locked, deadlocks",
           ("postgres", "mariadb"), (45, 60)),
    Lesson("17", "django6", "Django 6.0 and 6.1: what changes for your databases (a kernel of its own, Python 3.12+)",
           ("postgres", "mariadb", "mongodb"), (40, 55)),
]
# fmt: on


def installed_apps() -> list:
    return [app for lesson in LESSONS for app in lesson.apps]


def table() -> str:
    """The map as a Markdown table (notebook 00 displays it with IPython's Markdown)."""
    lines = ["| notebook | topic | servers | your time |", "|---|---|---|---|"]
    lines += [
        f"| `{lesson.notebook}` | {lesson.topic} | {', '.join(lesson.servers) or 'none'} | {lesson.time_range} |"
        for lesson in LESSONS
    ]
    low, high = (sum(lesson.minutes[i] for lesson in LESSONS) / 60 for i in (0, 1))
    return "\n".join(lines) + f"\n\nIn all: about {low:.0f} to {high:.0f} hours, in sittings of one notebook each."
