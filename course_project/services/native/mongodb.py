"""Native MongoDB wire-protocol server: SecantusDB (no mongod can be installed here).

Authentication is on and every commit is synced. Users are created the way SecantusDB
needs: start without --auth, createUser, restart with --auth.
"""

import json
import shutil
import sys
from pathlib import Path

from course_project.env import PROJECT_ROOT, env
from course_project.services.config import HERE
from course_project.services.native import base
from course_project.services.probes import probe

# Where SecantusDB lives when .venv's Python has no wheel of it (course_tools/mongodb_env.py).
SERVER_VENV = PROJECT_ROOT / ".venv-mongodb"


CACHE_SIZE = "64M"  # WiredTiger's cache (SecantusDB's default is 1G): a learner's data is a few MB


class MongoDB(base.NativeServer):
    name = "mongodb"
    log_name = "secantusd.log"
    pid_name = "secantusd.pid"

    def __init__(self):
        super().__init__()
        self.data = self.dir / "data"

    def _spawn(self, *flags):
        exe = base.find_binary("secantusd-py", str(Path(sys.executable).parent), str(SERVER_VENV / "bin"))
        pid = base.spawn(
            [
                exe,
                "--host",
                self.server.host,
                "--port",
                self.server.port,
                "--storage-path",
                self.data,
                "--sync-on-commit",
                "--cache-size",
                CACHE_SIZE,
                *flags,
            ],
            self.log,
        )
        self.pidfile.write_text(f"{pid}\n")
        return pid

    def start(self):
        if self.running():
            return
        base.ensure_port_free(self.server)
        if not self.data.exists():
            self.provision()
        self._spawn("--auth")
        base.wait_until(lambda: probe(self.server).ok, "MongoDB (SecantusDB)", self.log)
        self.keep_roles_current()

    def keep_roles_current(self):
        """A server made before app_user.json gained a role gets it now, instead of a reset."""
        with self.server.connect(admin=True, database="admin") as client:
            client.admin.command("updateUser", env("MONGO_USER"), roles=app_roles())

    def provision(self):
        from pymongo import MongoClient

        pid = self._spawn()
        try:
            client = MongoClient(
                host=self.server.host, port=self.server.port, directConnection=True, serverSelectionTimeoutMS=20000
            )
            admin = client.admin
            admin.command("ping")
            admin.command(
                "createUser",
                env("MONGO_ROOT_USER"),
                pwd=env("MONGO_ROOT_PASSWORD"),
                roles=[{"role": "root", "db": "admin"}],
            )
            admin.command("createUser", env("MONGO_USER"), pwd=env("MONGO_PASSWORD"), roles=app_roles())
            client.close()
        except Exception:
            base.stop_pid(pid, what="MongoDB")
            shutil.rmtree(self.data, ignore_errors=True)
            raise
        base.stop_pid(pid, what="MongoDB")


def app_roles() -> list:
    spec = json.loads((HERE / "mongodb" / "app_user.json").read_text())
    return [{"role": r["role"], "db": r["db"].replace("{db}", env("MONGO_DB"))} for r in spec["roles"]]
