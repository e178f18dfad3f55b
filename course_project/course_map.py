"""The course map: every notebook, its topic, the servers it needs and its measured run time.

One source for the README's map, notebook 00 and tests/test_course_map.py. Run times are
measured by `./course refresh` (which executes the notebooks) and stored in run_times.json.
"""
import json
import math
from dataclasses import dataclass
from pathlib import Path

RUN_TIMES = Path(__file__).with_name("run_times.json")
README_START, README_END = "<!-- course-map:start -->", "<!-- course-map:end -->"


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    topic: str
    servers: tuple

    @property
    def notebook(self) -> str:
        return f"{self.number}_{self.slug}.ipynb"

    @property
    def run_time(self) -> str:
        """Approximate, from the last measured run (rounded up, so it reads like a promise)."""
        seconds = run_times().get(self.notebook)
        if seconds is None:
            return "not measured"
        if seconds >= 90:
            return f"~{math.ceil(seconds / 60)} min"
        return f"~{max(5, math.ceil(seconds / 5) * 5)} s"


LESSONS = [
    Lesson("00", "start_here", "Tour, server status, a first query on each database",
           ("postgres", "replica", "pgbouncer", "mariadb", "mongodb")),
    Lesson("01", "sqlite", "SQLite: configuration, migrations, locking, pros and cons", ()),
    Lesson("02", "postgresql", "PostgreSQL: users and PG15 grants, arrays, JSON, full-text and trigram search",
           ("postgres",)),
    Lesson("03", "mysql_mariadb", "MySQL/MariaDB: least privilege, two drivers, strict mode, utf8mb4, differences",
           ("mariadb", "postgres")),
    Lesson("04", "multiple_databases", "Several databases: routers, migrate per alias, copies, cross-database limits",
           ("postgres", "mariadb")),
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
           ("postgres", "replica", "pgbouncer", "mariadb", "mongodb")),
]


def run_times() -> dict:
    return json.loads(RUN_TIMES.read_text()) if RUN_TIMES.exists() else {}


def record_run_time(notebook: str, seconds: float):
    times = run_times()
    times[notebook] = round(seconds, 1)
    RUN_TIMES.write_text(json.dumps(dict(sorted(times.items())), indent=2) + "\n")


def rows() -> list:
    return [(lesson.notebook, lesson.topic, ", ".join(lesson.servers) or "none", lesson.run_time)
            for lesson in LESSONS]


def table() -> str:
    """Plain text, for notebook 00 (run times left out: they change with every measurement)."""
    lines = [("notebook", "topic", "servers")] + [r[:3] for r in rows()]
    widths = [max(len(r[i]) for r in lines) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines)


def markdown() -> str:
    lines = ["| notebook | topic | servers | run time |", "|---|---|---|---|"]
    lines += [f"| `{nb}` | {topic} | {servers} | {time} |" for nb, topic, servers, time in rows()]
    return "\n".join(lines)


def update_readme(readme: Path) -> bool:
    """Rewrite the README's course-map block; True if it changed."""
    text = readme.read_text()
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new = f"{head}{README_START}\n{markdown()}\n{README_END}{tail}"
    readme.write_text(new)
    return new != text
