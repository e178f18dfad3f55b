"""Native PostgreSQL (15 or newer): the primary (initdb + init.sh) and its streaming replica (pg_basebackup -R)."""

import re
from pathlib import Path

from course_project.env import env
from course_project.services.config import HERE, servers
from course_project.services.errors import ServiceError
from course_project.services.native import base

MIN_VERSION = 15


def bin_dir() -> str:
    """The newest PostgreSQL server on this machine (Debian/Ubuntu keep each major in its own folder)."""
    if env("PG_BIN", default=""):
        return env("PG_BIN")
    majors = sorted(
        int(p.parent.parent.name)
        for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if p.parent.parent.name.isdigit()
    )
    if majors and majors[-1] < MIN_VERSION:
        raise ServiceError(
            f"PostgreSQL {majors[-1]} is installed; the course needs {MIN_VERSION} or newer. "
            f"Install a newer `postgresql` package, or use Docker (COURSE_SERVICES=compose)."
        )
    return f"/usr/lib/postgresql/{majors[-1]}/bin" if majors else ""


def pg(tool: str) -> str:
    return base.find_binary(tool, *filter(None, [bin_dir()]))


def socket_dir() -> Path:
    return base.owned_dir(base.home() / "run", base.os_user("postgres"), 0o755)


def course_env() -> dict:
    """The COURSE_* variables init.sh reads (the same ones compose passes to the image)."""
    e = env
    return {
        "COURSE_DB": e("POSTGRES_DB"),
        "COURSE_ANALYTICS_DB": e("POSTGRES_ANALYTICS_DB"),
        "COURSE_USER": e("POSTGRES_USER"),
        "COURSE_PASSWORD": e("POSTGRES_PASSWORD"),
        "COURSE_REPLICATION_USER": e("POSTGRES_REPLICATION_USER"),
        "COURSE_REPLICATION_PASSWORD": e("POSTGRES_REPLICATION_PASSWORD"),
        "COURSE_PGBOUNCER_AUTH_USER": e("PGBOUNCER_AUTH_USER"),
        "COURSE_PGBOUNCER_AUTH_PASSWORD": e("PGBOUNCER_AUTH_PASSWORD"),
    }


class Postgres(base.NativeServer):
    name = "postgres"
    user = base.os_user("postgres")

    def __init__(self):
        super().__init__()
        self.data = self.dir / "data"
        self.pidfile = self.data / "postmaster.pid"

    def write_conf(self):
        shared = (HERE / "postgres" / "course.conf").read_text()
        local = (
            f"port = {self.server.port}\nlisten_addresses = '{self.server.host}'\n"
            f"unix_socket_directories = '{socket_dir()}'\n"
        )
        base.write_private(self.data / "course.conf", shared + local, self.user)

    def create(self):
        pwfile = base.write_private(self.dir / "superuser.pw", env("POSTGRES_SUPERUSER_PASSWORD") + "\n", self.user)
        try:
            base.run(
                [
                    pg("initdb"),
                    "-D",
                    self.data,
                    "-U",
                    "postgres",
                    f"--pwfile={pwfile}",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-N",
                ],
                user=self.user,
                what="initdb",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\ninclude_if_exists = 'course.conf'\n")

    def start(self):
        self.discard_half_made(self.data)
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self.creating()
            self.create()
        self.write_conf()
        if self.running():
            return
        base.ensure_port_free(self.server)
        base.run(
            [pg("pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "30", "start"],
            user=self.user,
            what=f"starting {self.server.title}",
        )
        if fresh:
            self.provision()
        self.created()

    def provision(self):
        try:
            base.run(
                ["bash", HERE / "postgres" / "init.sh"],
                what="provisioning PostgreSQL (init.sh)",
                env={
                    **course_env(),
                    "PGHOST": str(socket_dir()),
                    "PGPORT": str(self.server.port),
                    "PGUSER": "postgres",
                    "PGDATA": str(self.data),
                },
            )
        except Exception:
            self.stop()  # the marker stays: the next start makes it again
            raise

    def superuser_sql(self, sql: str, db: str = "postgres") -> str:
        """Run SQL as the superuser over the private unix socket (services only)."""
        return base.run(
            [
                pg("psql"),
                "-h",
                socket_dir(),
                "-p",
                self.server.port,
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-Atqc",
                sql,
            ],
            what="psql",
        )

    def stop(self):
        if pid := self.running():
            base.resume(pid)  # pg_ctl's signal waits forever on a suspended postmaster
            base.run(
                [pg("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop"],
                user=self.user,
                what=f"stopping {self.server.title}",
            )


class Replica(Postgres):
    name = "replica"
    slot = "replica1"

    def create(self):
        primary = Postgres()
        if not primary.running():
            primary.start()
        # A slot left over from an earlier replica would make -C fail.
        primary.superuser_sql(
            f"SELECT pg_drop_replication_slot('{self.slot}') FROM pg_replication_slots WHERE slot_name = '{self.slot}'"
        )
        base.run(
            [
                pg("pg_basebackup"),
                "-h",
                primary.server.host,
                "-p",
                primary.server.port,
                "-U",
                env("POSTGRES_REPLICATION_USER"),
                "-D",
                self.data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-C",
                "-S",
                self.slot,
            ],
            user=self.user,
            env={"PGPASSWORD": env("POSTGRES_REPLICATION_PASSWORD")},
            what="pg_basebackup",
        )

    def write_conf(self):
        super().write_conf()
        # pg_basebackup -R wrote the primary's address into postgresql.auto.conf: keep its port current
        auto = self.data / "postgresql.auto.conf"
        if auto.exists():
            port = servers()["postgres"].port
            text = re.sub(r"(primary_conninfo = '.*?)\bport=\d+", rf"\g<1>port={port}", auto.read_text())
            base.write_private(auto, text, self.user)

    def provision(self):
        pass  # everything was copied from the primary
