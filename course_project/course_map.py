"""The course map: every notebook, its topic and the servers it needs (one source for the
README, notebook 00 and tests/test_course_map.py)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    number: str
    slug: str
    topic: str
    servers: tuple

    @property
    def notebook(self) -> str:
        return f"{self.number}_{self.slug}.ipynb"


LESSONS = [
    Lesson("00", "start_here", "Tour, server status, a first query on each database",
           ("postgres", "replica", "pgbouncer", "mariadb", "mongodb")),
    Lesson("01", "sqlite", "SQLite: configuration, migrations, locking, pros and cons", ()),
]


def table() -> str:
    rows = [("notebook", "topic", "servers")]
    rows += [(lesson.notebook, lesson.topic, ", ".join(lesson.servers) or "none") for lesson in LESSONS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
