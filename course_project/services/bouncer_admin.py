"""pgBouncer's admin console: release a database's pooled server connections.

pgBouncer keeps idle server connections open, so PostgreSQL refuses to DROP a database
that was used through it (Django's test databases, for example) until they are released.
"""

import psycopg

from course_project.env import env
from course_project.services.config import servers


def release(dbname: str) -> bool:
    """KILL then RESUME `dbname` on pgBouncer; False if pgBouncer does not know it or is down."""
    s = servers()["pgbouncer"]
    try:
        with s.connect(
            database="pgbouncer", user=env("PGBOUNCER_AUTH_USER"), password=env("PGBOUNCER_AUTH_PASSWORD")
        ) as admin:
            admin.execute(f'KILL "{dbname}"')
            admin.execute(f'RESUME "{dbname}"')
        return True
    except psycopg.Error:
        return False
