"""Pre-flight check: what this machine still needs before `./course lab` can work.

    ./course preflight      (plain Python 3 standard library: runs before anything is installed)
"""
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from course_project.docker_engine import engine_answers  # noqa: E402  (standard library only)
PORT_KEYS = ("POSTGRES_PORT", "POSTGRES_REPLICA_PORT", "PGBOUNCER_PORT", "MARIADB_PORT", "MONGO_PORT")
NATIVE_TOOLS = {"initdb (PostgreSQL 15)": "/usr/lib/postgresql/15/bin/initdb", "pgbouncer": "pgbouncer",
                "mariadbd (MariaDB)": "mariadbd", "pg_isready": "pg_isready"}


def env_value(key: str) -> str:
    """The value ./course will use: the environment, else .env, else .env.example (simple KEY=VALUE files)."""
    if key in os.environ:
        return os.environ[key]
    for name in (".env", ".env.example"):
        path = ROOT / name
        if path.exists():
            for line in path.read_text().splitlines():
                if line.startswith(key + "="):
                    return line.split("=", 1)[1].strip()
    return ""


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def course_ports() -> set:
    """Ports where the course's own servers answer (asks `services status` once .venv exists)."""
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        return set()
    out = subprocess.run([str(python), "-m", "course_project.services", "status"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60).stdout
    return {int(line.split()[1].rsplit(":", 1)[1]) for line in out.splitlines()[1:]
            if len(line.split()) > 3 and line.split()[3] == "up"}


def checks():
    """Yield (ok, what, fix) for every item."""
    python = shutil.which("python3.11") or (sys.executable if sys.version_info[:2] == (3, 11) else None)
    yield bool(python), "Python 3.11", "install Python 3.11 (e.g. `apt install python3.11` or pyenv)"
    docker = engine_answers()
    yield True, "Docker engine: " + ("answers, servers will run in compose" if docker else
                                     "not available, servers will run natively"), ""
    if not docker:
        for name, tool in NATIVE_TOOLS.items():
            found = Path(tool).exists() if tool.startswith("/") else shutil.which(tool) or Path("/usr/sbin", tool).exists()
            yield bool(found), f"native {name}", "run `./course setup` (installs Debian's packages; needs root or sudo)"
    ours = course_ports()
    for key in PORT_KEYS:
        port = int(env_value(key) or 0)
        free = port_free(port)
        state = "free" if free else ("in use by the course's own server" if port in ours else "in use")
        yield free or port in ours, f"port {port} ({key}) {state}", \
            f"stop what uses port {port}, or set another {key} in .env"
    free_gb = shutil.disk_usage(ROOT).free / 2**30
    yield free_gb > 2, f"disk: {free_gb:.0f} GB free", "free at least 2 GB (servers and packages need about 1.5 GB)"


def main() -> int:
    problems = 0
    for ok, what, fix in checks():
        print(f"[{'ok' if ok else '!!'}] {what}" + ("" if ok else f"\n     fix: {fix}"))
        problems += not ok
    print("Ready: run ./course lab" if not problems else f"{problems} item(s) to fix before ./course lab")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
