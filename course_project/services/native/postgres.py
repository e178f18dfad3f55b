"""Native PostgreSQL 15: the primary (initdb + init.sh) and its streaming replica (pg_basebackup -R)."""
import re
import shutil
from pathlib import Path

from course_project.env import env
from course_project.services.config import HERE, servers
from course_project.services.native import base

PG_BIN = env("PG_BIN", default="/usr/lib/postgresql/15/bin")
USER = "postgres" if base.IS_ROOT else None


def pg(tool: str) -> str:
    return base.find_binary(tool, PG_BIN)


def socket_dir() -> Path:
    return base.owned_dir(base.home() / "run", USER, 0o755)


def course_env() -> dict:
    """The COURSE_* variables init.sh reads (the same ones compose passes to the image)."""
    e = env
    return {
        "COURSE_DB": e("POSTGRES_DB"), "COURSE_ANALYTICS_DB": e("POSTGRES_ANALYTICS_DB"),
        "COURSE_USER": e("POSTGRES_USER"), "COURSE_PASSWORD": e("POSTGRES_PASSWORD"),
        "COURSE_REPLICATION_USER": e("POSTGRES_REPLICATION_USER"),
        "COURSE_REPLICATION_PASSWORD": e("POSTGRES_REPLICATION_PASSWORD"),
        "COURSE_PGBOUNCER_AUTH_USER": e("PGBOUNCER_AUTH_USER"),
        "COURSE_PGBOUNCER_AUTH_PASSWORD": e("PGBOUNCER_AUTH_PASSWORD"),
    }


class Postgres:
    name = "postgres"

    def __init__(self):
        self.server = servers()[self.name]
        self.dir = base.owned_dir(base.home() / self.name, USER)
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"

    def running(self):
        return base.read_pid(self.data / "postmaster.pid")

    def write_conf(self):
        shared = (HERE / "postgres" / "course.conf").read_text()
        local = (f"port = {self.server.port}\nlisten_addresses = '{self.server.host}'\n"
                 f"unix_socket_directories = '{socket_dir()}'\n")
        base.write_private(self.data / "course.conf", shared + local, USER)

    def create(self):
        pwfile = base.write_private(self.dir / "superuser.pw", env("POSTGRES_SUPERUSER_PASSWORD") + "\n", USER)
        try:
            base.run([pg("initdb"), "-D", self.data, "-U", "postgres", f"--pwfile={pwfile}", "-E", "UTF8",
                      "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "-N"],
                     user=USER, what="initdb")
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\ninclude_if_exists = 'course.conf'\n")

    def start(self):
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self.create()
        self.write_conf()
        if self.running():
            return
        base.ensure_port_free(self.server)
        base.owned_dir(self.log.parent, USER)
        base.run([pg("pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "30", "start"],
                 user=USER, what=f"starting {self.server.title}")
        if fresh:
            self.provision()

    def provision(self):
        try:
            base.run(["bash", HERE / "postgres" / "init.sh"], what="provisioning PostgreSQL (init.sh)",
                     env={**course_env(), "PGHOST": str(socket_dir()), "PGPORT": str(self.server.port),
                          "PGUSER": "postgres", "PGDATA": str(self.data)})
        except Exception:
            self.stop()
            shutil.rmtree(self.data, ignore_errors=True)
            raise

    def superuser_sql(self, sql: str, db: str = "postgres") -> str:
        """Run SQL as the superuser over the private unix socket (services only)."""
        return base.run(["psql", "-h", socket_dir(), "-p", self.server.port, "-U", "postgres", "-d", db,
                         "-v", "ON_ERROR_STOP=1", "-Atqc", sql], what="psql")

    def stop(self):
        if self.running():
            base.run([pg("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "-t", "30", "stop"],
                     user=USER, what=f"stopping {self.server.title}")

    def wipe(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Replica(Postgres):
    name = "replica"
    slot = "replica1"

    def create(self):
        primary = Postgres()
        if not primary.running():
            primary.start()
        # A slot left over from an earlier replica would make -C fail.
        primary.superuser_sql(f"SELECT pg_drop_replication_slot('{self.slot}') FROM pg_replication_slots "
                              f"WHERE slot_name = '{self.slot}'")
        base.run([pg("pg_basebackup"), "-h", primary.server.host, "-p", primary.server.port,
                  "-U", env("POSTGRES_REPLICATION_USER"), "-D", self.data, "-R", "-X", "stream",
                  "-c", "fast", "-C", "-S", self.slot],
                 user=USER, env={"PGPASSWORD": env("POSTGRES_REPLICATION_PASSWORD")}, what="pg_basebackup")

    def write_conf(self):
        super().write_conf()
        # pg_basebackup -R wrote the primary's address into postgresql.auto.conf: keep its port current
        auto = self.data / "postgresql.auto.conf"
        if auto.exists():
            port = servers()["postgres"].port
            text = re.sub(r"(primary_conninfo = '.*?)\bport=\d+", rf"\g<1>port={port}", auto.read_text())
            base.write_private(auto, text, USER)

    def provision(self):
        pass  # everything was copied from the primary
