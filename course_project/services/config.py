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
    name: str          # service name, identical in docker-compose.yml
    title: str         # what a person calls it
    kind: str          # postgres | mariadb | mongodb
    port: int
    database: str
    user: str
    password_var: str  # the .env variable that holds the password
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


def servers() -> dict:
    """All servers, in start order."""
    e = env
    pg = dict(kind="postgres", database=e("POSTGRES_DB"), user=e("POSTGRES_USER"),
              password_var="POSTGRES_PASSWORD")
    items = [
        Server("postgres", "PostgreSQL primary", port=e.int("POSTGRES_PORT"), **pg),
        Server("replica", "PostgreSQL replica", port=e.int("POSTGRES_REPLICA_PORT"),
               needs=("postgres",), **pg),
        Server("pgbouncer", "pgBouncer", port=e.int("PGBOUNCER_PORT"), needs=("postgres",), **pg),
        Server("mariadb", "MariaDB", kind="mariadb", port=e.int("MARIADB_PORT"),
               database=e("MARIADB_DATABASE"), user=e("MARIADB_USER"), password_var="MARIADB_PASSWORD"),
        Server("mongodb", "MongoDB", kind="mongodb", port=e.int("MONGO_PORT"),
               database=e("MONGO_DB"), user=e("MONGO_USER"), password_var="MONGO_PASSWORD"),
    ]
    return {s.name: s for s in items}


def get(name: str) -> Server:
    try:
        return servers()[name]
    except KeyError:
        raise SystemExit(f"Unknown server {name!r}; choose from: {', '.join(servers())}") from None


def mongo_uri(user=None, password=None, database="", auth_source="admin", server=None) -> str:
    """A MongoDB URI for the course server (the app user unless told otherwise)."""
    from urllib.parse import quote_plus

    s = server or servers()["mongodb"]
    user = user or s.user
    password = password or s.password
    return (f"mongodb://{quote_plus(user)}:{quote_plus(password)}@{s.address}/{database}"
            f"?authSource={auth_source}&directConnection=true")


def state_dir() -> Path:
    """Git-ignored folder for server data, logs and PIDs."""
    return Path(env("COURSE_STATE_DIR", default=str(PROJECT_ROOT / "var")))
