"""The servers the course uses, described once from the environment (.env).

Both backends (compose and native) and the probes read these descriptions, so a
port, a database name or a user name lives in exactly one place.
"""

from dataclasses import dataclass, field
from pathlib import Path

from course_project.env import PROJECT_ROOT, env

HERE = Path(__file__).resolve().parent
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
FIX = "./course services up"


@dataclass(frozen=True)
class Server:
    name: str  # service name, identical in docker-compose.yml
    title: str  # what a person calls it
    kind: str  # postgres | mariadb | mongodb
    port: int
    database: str
    user: str
    password_var: str  # the .env variable that holds the password
    port_var: str  # ... and the one that holds the port
    needs: tuple = field(default=())  # servers that must run first

    @property
    def host(self) -> str:
        return env("COURSE_HOST", default="127.0.0.1")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def password(self) -> str:
        return env(self.password_var)

    @property
    def admin(self) -> tuple:
        """(user, password) of the server's administrator, from .env."""
        return ADMINS[self.kind]()

    def connect(
        self,
        *,
        admin: bool = False,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        timeout: int = 3,
        **options,
    ):
        """A new driver connection to this server: the app user unless `admin` or `user` is given.

        psycopg (autocommit) for PostgreSQL and pgBouncer, MySQLdb for MariaDB, MongoClient for MongoDB.
        """
        if admin:
            user, password = self.admin
        user = user or self.user
        password = self.password if password is None and user == self.user else password
        if self.kind == "postgres":
            import psycopg

            options.setdefault("autocommit", True)
            options.setdefault("prepare_threshold", None)  # pgBouncer 1.18 has no prepared statements
            return psycopg.connect(
                host=self.host,
                port=self.port,
                dbname=database or self.database,
                user=user,
                password=password,
                connect_timeout=timeout,
                **options,
            )
        if self.kind == "mariadb":
            import MySQLdb

            return MySQLdb.connect(
                host=self.host,
                port=self.port,
                user=user,
                password=password,
                database=database if database is not None else self.database,
                connect_timeout=timeout,
                charset="utf8mb4",
                **options,
            )
        from pymongo import MongoClient

        return MongoClient(
            mongo_uri(user, password, database=database or self.database, server=self, auth_source="admin"),
            serverSelectionTimeoutMS=timeout * 1000,
            connectTimeoutMS=timeout * 1000,
            **options,
        )


ADMINS = {
    "postgres": lambda: ("postgres", env("POSTGRES_SUPERUSER_PASSWORD")),
    "mariadb": lambda: ("root", env("MARIADB_ROOT_PASSWORD")),
    "mongodb": lambda: (env("MONGO_ROOT_USER"), env("MONGO_ROOT_PASSWORD")),
}


def servers() -> dict:
    """All servers, in start order."""
    e = env
    pg = dict(kind="postgres", database=e("POSTGRES_DB"), user=e("POSTGRES_USER"), password_var="POSTGRES_PASSWORD")
    items = [
        Server("postgres", "PostgreSQL primary", port=e.int("POSTGRES_PORT"), port_var="POSTGRES_PORT", **pg),
        Server(
            "replica",
            "PostgreSQL replica",
            port=e.int("POSTGRES_REPLICA_PORT"),
            port_var="POSTGRES_REPLICA_PORT",
            needs=("postgres",),
            **pg,
        ),
        Server(
            "pgbouncer", "pgBouncer", port=e.int("PGBOUNCER_PORT"), port_var="PGBOUNCER_PORT", needs=("postgres",), **pg
        ),
        Server(
            "mariadb",
            "MariaDB",
            kind="mariadb",
            port=e.int("MARIADB_PORT"),
            port_var="MARIADB_PORT",
            database=e("MARIADB_DATABASE"),
            user=e("MARIADB_USER"),
            password_var="MARIADB_PASSWORD",
        ),
        Server(
            "mongodb",
            "MongoDB",
            kind="mongodb",
            port=e.int("MONGO_PORT"),
            port_var="MONGO_PORT",
            database=e("MONGO_DB"),
            user=e("MONGO_USER"),
            password_var="MONGO_PASSWORD",
        ),
    ]
    return {s.name: s for s in items}


def select(names) -> list:
    """The servers named (all when none are), in start order; an unknown name is an error."""
    from course_project.services.errors import ServiceError

    known = servers()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ServiceError(f"unknown server(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return [known[n] for n in known if n in names or not names]


def mongo_uri(user=None, password=None, database="", auth_source="admin", server=None) -> str:
    """A MongoDB URI for the course server (the app user unless told otherwise)."""
    from urllib.parse import quote_plus

    s = server or servers()["mongodb"]
    user = user or s.user
    password = password or s.password
    return (
        f"mongodb://{quote_plus(user)}:{quote_plus(password)}@{s.address}/{database}"
        f"?authSource={auth_source}&directConnection=true"
    )


def state_dir() -> Path:
    """Git-ignored folder for server data, logs and PIDs."""
    return Path(env("COURSE_STATE_DIR", default=str(PROJECT_ROOT / "var")))
