"""Is a server up? One quick, bounded check per kind, with a diagnosis a person can act on.

Every failure becomes one line of at most 300 characters: the server, what is wrong and the fix,
never a driver's raw text. A refused port is reported at once, before any driver waits; a server
that accepts but does not answer is told apart from another program on its port by who listens
there (see listeners.py).
"""

import re
import socket
import time
from dataclasses import dataclass

from course_project.services.config import FIX, Server

TIMEOUT = 3  # seconds a driver may wait: a dead server must fail fast, never hang
MAX_LINE = 300
# Who may listen on a server's port: the server itself, or (compose, podman) a port forwarder.
PROGRAMS = {
    "postgres": {"postgres", "postmaster"},
    "replica": {"postgres", "postmaster"},
    "pgbouncer": {"pgbouncer"},
    "mariadb": {"mariadbd", "mysqld", "mariadb"},
    "mongodb": {"mongod", "secantusd-py", "secantusd"},
}
FORWARDERS = {
    "docker-proxy",
    "rootlessport",
    "rootlesskit",
    "slirp4netns",
    "pasta",
    "vpnkit",
    "gvproxy",
    "com.docker.backend",
    "conmon",
}


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
        line = f"{self.server.title} at {self.server.address}: {self.problem}. Fix: {self.fix}"
        return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


class Misfit(Exception):
    """The server answered, but is not what it should be (a replica that is not in recovery)."""

    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem, self.fix = problem, fix


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def short(error: Exception, limit: int = 90) -> str:
    """The driver's own words, cut to their point: no libpq preamble, no TopologyDescription, no reply dump."""
    text = str(error).strip() or type(error).__name__
    text = re.sub(r"^connection failed: |connection to server at \"[^\"]*\", port \d+ failed: |FATAL:\s+", "", text)
    text = re.split(r", Timeout: |, full error: | \(configured timeouts|\n", text)[0]
    text = re.sub(r"^\((\d+), ['\"](.*)['\"]\)$", r"\2", text)  # MySQLdb's (code, "message")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _restart(server: Server) -> str:
    return f"`./course services down {server.name}` then `./course services up {server.name}`"


def _no_answer(server: Server) -> tuple:
    """It accepts connections but says nothing: suspended, another program, or too busy to answer."""
    from course_project.services.listeners import listeners

    holders = listeners(server.port)
    stopped = [h for h in holders if h.suspended]
    if stopped:
        return (
            f"hung: its process {stopped[0].program} (pid {stopped[0].pid}) is suspended (SIGSTOP or Ctrl-Z)",
            f"`kill -CONT {stopped[0].pid}` resumes it",
        )
    strangers = [h for h in holders if h.program not in PROGRAMS[server.name] | FORWARDERS]
    if strangers and len(strangers) == len(holders):
        return _stranger(server, strangers[0])
    return (
        f"accepts connections but did not answer within {TIMEOUT} s (hung or overloaded)",
        f"{_restart(server)}; its log: `./course services logs {server.name}`",
    )


def _stranger(server: Server, holder) -> tuple:
    return (
        f"port {server.port} is held by another program ({holder.program}, pid {holder.pid})",
        f"stop that program, or give {server.port_var} a free port in .env",
    )


def _diagnose(server: Server, error: Exception, waited: float) -> tuple:
    if isinstance(error, Misfit):
        return error.problem, error.fix
    low = str(error).lower()
    if "pg_hba.conf" in low:
        return (
            "pg_hba.conf has no line that lets this connection in",
            "add `host all all 127.0.0.1/32 scram-sha-256` to pg_hba.conf and reload, "
            f"or `./course services reset --yes {server.name}` (deletes its data)",
        )
    if "too many" in low or "connection slots are reserved" in low:
        return (
            "busy: no connection slots left (too many connections)",
            "close idle connections or use a pool (notebook 10); SELECT * FROM pg_stat_activity shows who holds them",
        )
    if any(w in low for w in ("authentication failed", "access denied", "auth failed", "password")):
        # the replica's and pgBouncer's users are the primary's
        owner = server.needs[0] if server.needs else server.name
        return (
            f"login refused: wrong password for user {server.user!r}",
            f"make {server.password_var} in .env match the server, or "
            f"`./course services reset --yes {owner}` (deletes its data)",
        )
    if not port_open(server.host, server.port):
        return ("not running (nothing listens on that port)", f"`{FIX}`")
    if any(w in low for w in ("does not exist", "unknown database")):
        return (
            f"database {server.database!r} is missing",
            f"`./course services reset --yes {server.name}` (deletes its data)",
        )
    if waited >= TIMEOUT * 0.9 or "timed out" in low or "timeout" in low:
        return _no_answer(server)
    from course_project.services.listeners import listeners

    strangers = [h for h in listeners(server.port) if h.program not in PROGRAMS[server.name] | FORWARDERS]
    if strangers:
        return _stranger(server, strangers[0])
    return (
        f"something on that port does not answer like {server.title} ({short(error)})",
        f"`./course services status`; if another program owns port {server.port}, stop it "
        f"or give {server.port_var} a free port in .env",
    )


def _postgres(server: Server) -> str:
    with server.connect(timeout=TIMEOUT) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        standby = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    if server.name == "replica" and not standby:
        raise Misfit(
            "this server is not in recovery, so it is not a replica",
            "`./course services reset --yes replica` (clones it again from the primary)",
        )
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
    client = server.connect(timeout=TIMEOUT, socketTimeoutMS=TIMEOUT * 1000)
    try:
        client[server.database].command("ping")
        return "MongoDB-compatible " + client.server_info().get("version", "?")
    finally:
        client.close()


CHECKS = {"postgres": _postgres, "mariadb": _mariadb, "mongodb": _mongodb}


def probe(server: Server) -> Probe:
    if not port_open(server.host, server.port):  # refused: say so at once, before any driver waits
        return Probe(server, False, problem="not running (nothing listens on that port)", fix=f"`{FIX}`")
    start = time.monotonic()
    try:
        return Probe(server, True, version=CHECKS[server.kind](server))
    except Exception as error:  # every failure becomes a diagnosis
        problem, fix = _diagnose(server, error, time.monotonic() - start)
        return Probe(server, False, problem=problem, fix=fix)


def status_table(results, backend: str | None = None) -> str:
    """One row per server; the version comes last so that its length never shifts other columns."""
    rows = [("server", "address") + (("backend",) if backend else ()) + ("state", "version")]
    for r in results:
        rows.append(
            (r.server.name, r.server.address)
            + ((backend,) if backend else ())
            + ("up" if r.ok else "DOWN", r.version or "-")
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    problems = [f"  {r.server.name}: {r.problem}. Fix: {r.fix}" for r in results if not r.ok]
    return "\n".join(lines + (["", "Problems:"] + problems if problems else []))
