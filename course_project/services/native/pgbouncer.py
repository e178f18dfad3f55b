"""Native pgBouncer in transaction mode, configured from the same template as compose."""
import shutil
import signal
from string import Template

from course_project.env import env
from course_project.services.config import HERE, servers
from course_project.services.native import base
from course_project.services.native.postgres import USER
from course_project.services.probes import probe


class PgBouncer:
    name = "pgbouncer"

    def __init__(self):
        self.server = servers()[self.name]
        self.dir = base.owned_dir(base.home() / self.name, USER)
        self.log = self.dir / "pgbouncer.log"
        self.pidfile = self.dir / "pgbouncer.pid"

    def running(self):
        return base.read_pid(self.pidfile)

    def write_config(self):
        auth_user = env("PGBOUNCER_AUTH_USER")
        auth_file = base.write_private(self.dir / "userlist.txt",
                                       f'"{auth_user}" "{env("PGBOUNCER_AUTH_PASSWORD")}"\n', USER)
        ini = Template((HERE / "pgbouncer" / "pgbouncer.ini").read_text()).safe_substitute(
            LISTEN_ADDR=self.server.host, LISTEN_PORT=self.server.port, UPSTREAM_HOST=self.server.host,
            UPSTREAM_PORT=servers()["postgres"].port, PIDFILE=self.pidfile, LOGFILE=self.log,
            AUTH_FILE=auth_file, COURSE_PGBOUNCER_AUTH_USER=auth_user)
        return base.write_private(self.dir / "pgbouncer.ini", ini, USER)

    def start(self):
        ini = self.write_config()
        if self.running():
            return
        base.ensure_port_free(self.server)
        if self.log.exists() and base.IS_ROOT:
            shutil.chown(self.log, USER, USER)
        base.run([base.find_binary("pgbouncer", "/usr/sbin"), "-d", ini], user=USER, what="pgbouncer")
        base.wait_until(lambda: probe(self.server).ok, "pgBouncer", self.log, timeout=15)

    def stop(self):
        base.stop_pid(self.running(), signal.SIGTERM, what="pgBouncer")

    def wipe(self):
        shutil.rmtree(self.dir, ignore_errors=True)
