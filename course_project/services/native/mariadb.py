"""Native MariaDB with a private datadir and config (nothing from /etc/mysql is read)."""

from course_project.env import env
from course_project.services.config import HERE
from course_project.services.native import base

MIN_VERSION = (10, 11)


def installed_version() -> tuple | None:
    """mariadbd's (major, minor), or None when it is not installed."""
    import re
    import subprocess

    try:
        out = subprocess.run(
            [base.find_binary("mariadbd", "/usr/sbin"), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except Exception:
        return None
    match = re.search(r"Ver (\d+)\.(\d+)", out)
    return (int(match[1]), int(match[2])) if match else None


class MariaDB(base.NativeServer):
    name = "mariadb"
    user = base.os_user("mysql")
    dir_mode = 0o750
    log_name = "error.log"
    pid_name = "mariadbd.pid"

    def __init__(self):
        super().__init__()
        self.data = self.dir / "data"
        self.socket = self.dir / "mariadb.sock"
        self.cnf = self.dir / "my.cnf"
        self.tmp = base.owned_dir(self.dir / "tmp", self.user)  # private: instances made at once share no /tmp file

    def write_config(self):
        s = self.server
        user_line = f"user = {self.user}\n" if self.user else ""
        self.cnf.write_text(
            f"[mariadbd]\ndatadir = {self.data}\nport = {s.port}\nbind-address = {s.host}\n"
            f"socket = {self.socket}\npid-file = {self.pidfile}\nlog-error = {self.log}\n"
            f"tmpdir = {self.tmp}\n{user_line}"
            f"!include {HERE / 'mariadb' / 'course.cnf'}\n"
            f"[client]\nsocket = {self.socket}\nport = {s.port}\n"
        )
        self.cnf.chmod(0o644)
        root = base.write_private(
            self.dir / "root.cnf",
            f"[client]\nuser = root\nsocket = {self.socket}\npassword = {env('MARIADB_ROOT_PASSWORD')}\n",
        )
        return root

    def start(self):
        root_cnf = self.write_config()
        self.discard_half_made(self.data)
        fresh = not (self.data / "mysql").exists()
        if fresh:
            self.creating()
            base.run(
                [
                    base.find_binary("mariadb-install-db"),
                    f"--defaults-file={self.cnf}",
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                ]
                + ([f"--user={self.user}"] if self.user else []),
                what="mariadb-install-db",
                env={"TMPDIR": str(self.tmp)},
            )
        if self.running():
            return
        base.ensure_port_free(self.server)
        base.spawn([base.find_binary("mariadbd", "/usr/sbin"), f"--defaults-file={self.cnf}"], self.dir / "stdout.log")
        admin = base.find_binary("mariadb-admin")
        base.wait_until(
            lambda: (
                self.socket.exists()
                and self.running()
                and _ok([admin, f"--defaults-file={self.cnf}", "--connect-timeout=2", "ping"])
            ),
            "MariaDB",
            self.log,
        )
        if fresh:
            try:
                self.provision(root_cnf)
            except Exception:
                self.stop()
                raise
        self.created()

    def provision(self, root_cnf):
        password = env("MARIADB_ROOT_PASSWORD").replace("'", "''")
        base.run(
            [base.find_binary("mariadb"), f"--defaults-file={self.cnf}", "-uroot"],
            what="securing root",
            input=f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{password}';\n"
            f"CREATE USER IF NOT EXISTS 'root'@'{self.server.host}';\n"
            f"ALTER USER 'root'@'{self.server.host}' IDENTIFIED BY '{password}';\n"
            f"GRANT ALL PRIVILEGES ON *.* TO 'root'@'{self.server.host}' WITH GRANT OPTION;\n",
        )
        base.run(
            ["bash", HERE / "mariadb" / "init.sh"],
            what="provisioning MariaDB (init.sh)",
            env={
                "MARIADB_CLIENT": f"mariadb --defaults-file={root_cnf}",
                **{k: env(k) for k in ("MARIADB_DATABASE", "MARIADB_USER", "MARIADB_PASSWORD")},
            },
        )


def _ok(cmd) -> bool:
    import subprocess

    return subprocess.run(cmd, capture_output=True).returncode == 0
