"""`./course services doctor`: check every server and say what is wrong and how to fix it."""

from dataclasses import dataclass

from course_project.services.config import servers
from course_project.services.probes import probe


@dataclass
class Finding:
    server: str
    ok: bool
    detail: str
    fix: str = ""


def connection_usage() -> Finding:
    """How full PostgreSQL's connection slots are (a pool or pgBouncer helps when they run out)."""
    with servers()["postgres"].connect() as conn:
        used = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchone()[0]
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
    ok = used < 0.9 * limit
    return Finding(
        "postgres",
        ok,
        f"connections: {used} of {limit} in use",
        "" if ok else "close idle connections, or pool them (notebook 10)",
    )


def examine() -> list:
    findings = []
    for server in servers().values():
        result = probe(server)
        findings.append(Finding(server.name, result.ok, result.version if result.ok else result.problem, result.fix))
    if findings[0].ok:
        findings.append(connection_usage())
    return findings


def report(findings) -> str:
    lines = []
    for f in findings:
        lines.append(f"[{'ok' if f.ok else '!!'}] {f.server:10} {f.detail}")
        if not f.ok:
            lines.append(f"     fix: {f.fix}")
    problems = sum(not f.ok for f in findings)
    lines.append("All servers healthy." if not problems else f"{problems} problem(s) found.")
    return "\n".join(lines)
