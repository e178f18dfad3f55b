"""Is a server up? One quick, bounded check per kind, with a diagnosis a person can act on."""
import socket
from dataclasses import dataclass

from course_project.services.config import FIX, Server

TIMEOUT = 3  # seconds: a dead server must fail fast, never hang


@dataclass
class Probe:
    server: Server
    ok: bool
    version: str = ""
    problem: str = ""
    fix: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"{self.server.title} is up at {self.server.address} ({self.version})"
        return f"{self.server.title} at {self.server.address}: {self.problem}. Fix: {self.fix}"


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _diagnose(server: Server, error: Exception) -> tuple:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    low = str(error).lower()
    if "pg_hba.conf" in low:
        return (f"pg_hba.conf refuses this connection ({text})",
                "add a `host` line for 127.0.0.1/32 with scram-sha-256 to pg_hba.conf and reload "
                "(SELECT pg_reload_conf()), or `./course services reset --yes postgres` (deletes its data)")
    if "too many" in low or "connection slots are reserved" in low:
        return (f"no connection slots left ({text})",
                "close idle connections or use a pool (notebook 10); SELECT * FROM pg_stat_activity shows who holds them")
    if any(w in low for w in ("authentication failed", "access denied", "auth failed", "password")):
        return (f"login refused for user {server.user!r} ({text})",
                f"make {server.password_var} in .env match the server, or "
                f"`./course services reset --yes {server.name}` (deletes its data)")
    if not port_open(server.host, server.port):
        return ("not running (nothing listens on that port)", f"`{FIX}`")
    if any(w in low for w in ("does not exist", "unknown database")):
        return (f"database missing ({text})", f"`./course services reset --yes {server.name}` (deletes its data)")
    return (f"something answers on that port but the check failed ({text})",
            f"`./course services status`; if another program owns port {server.port}, "
            f"stop it or change the port in .env")


def _postgres(server: Server) -> str:
    with server.connect(timeout=TIMEOUT) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        standby = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    if server.name == "replica" and not standby:
        raise RuntimeError("this server is not in recovery, so it is not a replica")
    return f"PostgreSQL {version}" + (" standby" if standby else "")


def _mariadb(server: Server) -> str:
    conn = server.connect(timeout=TIMEOUT)
    try:
        cur = conn.cursor()
        cur.execute("SELECT VERSION()")
        return "MariaDB " + cur.fetchone()[0].split("-")[0]
    finally:
        conn.close()


def _mongodb(server: Server) -> str:
    client = server.connect(timeout=TIMEOUT)
    try:
        client[server.database].command("ping")
        return "MongoDB-compatible " + client.server_info().get("version", "?")
    finally:
        client.close()


CHECKS = {"postgres": _postgres, "mariadb": _mariadb, "mongodb": _mongodb}


def probe(server: Server) -> Probe:
    try:
        return Probe(server, True, version=CHECKS[server.kind](server))
    except Exception as error:  # every failure becomes a diagnosis
        problem, fix = _diagnose(server, error)
        return Probe(server, False, problem=problem, fix=fix)


def status_table(results, backend: str | None = None) -> str:
    """One row per server; the version comes last so that its length never shifts other columns."""
    rows = [("server", "address") + (("backend",) if backend else ()) + ("state", "version")]
    for r in results:
        rows.append((r.server.name, r.server.address) + ((backend,) if backend else ())
                    + ("up" if r.ok else "DOWN", r.version or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    problems = [f"  {r.server.name}: {r.problem}. Fix: {r.fix}" for r in results if not r.ok]
    return "\n".join(lines + (["", "Problems:"] + problems if problems else []))
