"""Admin access for lessons that create databases, users and faults live (notebooks 02, 03, 05, 12, 13).

The admin passwords come from .env and never appear in a cell or an output. Engines run in
autocommit mode, since CREATE DATABASE cannot run inside a transaction.
"""

from sqlalchemy import URL, create_engine

from course_project.env import env
from course_project.services.config import servers


def postgres(database: str = "postgres", user: str = "postgres", password: str | None = None, server: str = "postgres"):
    s = servers()[server]
    url = URL.create(
        "postgresql+psycopg",
        username=user,
        host=s.host,
        port=s.port,
        database=database,
        password=password if password is not None else env("POSTGRES_SUPERUSER_PASSWORD"),
    )
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def mariadb(database: str | None = None, user: str = "root", password: str | None = None):
    s = servers()["mariadb"]
    url = URL.create(
        "mysql+mysqldb",
        username=user,
        host=s.host,
        port=s.port,
        database=database,
        password=password if password is not None else env("MARIADB_ROOT_PASSWORD"),
    )
    return create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3, "charset": "utf8mb4"})


def postgres_connection(server: str = "postgres", dbname: str = "postgres"):
    """A plain psycopg connection as the superuser, in autocommit (for pg_reload_conf(), roles, replay)."""
    return servers()[server].connect(admin=True, database=dbname)
