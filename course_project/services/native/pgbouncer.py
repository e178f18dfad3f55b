"""Native pgBouncer in transaction mode, configured from the same template as compose."""

import shutil
from string import Template

from course_project.env import env
from course_project.services.config import HERE, servers
from course_project.services.native import base
from course_project.services.probes import probe


class PgBouncer(base.NativeServer):
    name = "pgbouncer"
    user = base.os_user("postgres")
    log_name = "pgbouncer.log"
    pid_name = "pgbouncer.pid"

    def write_config(self):
        auth_user = env("PGBOUNCER_AUTH_USER")
        auth_file = base.write_private(
            self.dir / "userlist.txt", f'"{auth_user}" "{env("PGBOUNCER_AUTH_PASSWORD")}"\n', self.user
        )
        ini = Template((HERE / "pgbouncer" / "pgbouncer.ini").read_text()).safe_substitute(
            LISTEN_ADDR=self.server.host,
            LISTEN_PORT=self.server.port,
            UPSTREAM_HOST=self.server.host,
            UPSTREAM_PORT=servers()["postgres"].port,
            PIDFILE=self.pidfile,
            LOGFILE=self.log,
            AUTH_FILE=auth_file,
            COURSE_PGBOUNCER_AUTH_USER=auth_user,
        )
        return base.write_private(self.dir / "pgbouncer.ini", ini, self.user)

    def start(self):
        ini = self.write_config()
        if self.running():
            return
        base.ensure_port_free(self.server)
        if self.log.exists() and self.user:  # pgbouncer -d exits silently if it cannot write its log
            shutil.chown(self.log, self.user, self.user)
        base.run([base.find_binary("pgbouncer", "/usr/sbin"), "-d", ini], user=self.user, what="pgbouncer")
        base.wait_until(lambda: probe(self.server).ok, "pgBouncer", self.log, timeout=15)
