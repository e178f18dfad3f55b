"""Causing faults on purpose, and always undoing them (every helper restores in `finally`)."""

import os
import re
import secrets
import socket
import subprocess
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psycopg
from psycopg import sql

from course_project.runtime.admin_engines import postgres_connection
from course_project.services.config import servers

PG = servers()["postgres"]


def tool(*cmd, password: str | None = None, timeout: float = 15) -> str:
    """Run a real client tool (pg_isready, psql, mariadb-admin); what it printed, one block."""
    extra = {"PGPASSWORD": password} if password is not None else {}
    proc = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **extra, "PGCONNECT_TIMEOUT": "3"},
    )
    return (proc.stdout + proc.stderr).strip() + f"   [exit {proc.returncode}]"


def superuser():
    return postgres_connection()


@contextmanager
def throwaway_role(name: str, connection_limit: int | None = None):
    """A login role for one demonstration; yields its password; dropped afterwards."""
    password = secrets.token_urlsafe(12)
    role, database = sql.Identifier(name), sql.Identifier(PG.database)
    limit = (
        sql.SQL(" CONNECTION LIMIT {}").format(sql.Literal(int(connection_limit)))
        if connection_limit is not None
        else sql.SQL("")
    )
    with superuser() as admin:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN{} PASSWORD {}").format(role, limit, sql.Literal(password)))
        admin.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, role))
    try:
        yield password
    finally:
        with superuser() as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [name])
            admin.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(database, role))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(role))


@contextmanager
def pg_hba_rule(rule: str):
    """Put `rule` first in the primary's pg_hba.conf and reload; restore the file afterwards."""
    with superuser() as admin:
        path = admin.execute("SHOW hba_file").fetchone()[0]
    original = server_file(path)
    server_file(path, f"{rule}\n{original}")
    try:
        with superuser() as admin:
            admin.execute("SELECT pg_reload_conf()")
        yield
    finally:
        server_file(path, original)
        with superuser() as admin:
            admin.execute("SELECT pg_reload_conf()")


@contextmanager
def pg_hba_without(role: str):
    """The primary's pg_hba.conf with `all` users in its host lines narrowed to every login role but `role`,
    and reloaded; yields those lines; restores the file afterwards."""
    with superuser() as admin:
        path = admin.execute("SHOW hba_file").fetchone()[0]
        users = [
            name
            for (name,) in admin.execute("SELECT rolname FROM pg_roles WHERE rolcanlogin ORDER BY 1")
            if name != role
        ]
    original = server_file(path)
    narrowed = server_file(
        path, re.sub(r"^(host\s+\S+\s+)all\b", lambda m: m.group(1) + ",".join(users), original, flags=re.MULTILINE)
    )
    try:
        with superuser() as admin:
            admin.execute("SELECT pg_reload_conf()")
        yield [line for line in narrowed.splitlines() if line.startswith("host")]
    finally:
        server_file(path, original)
        with superuser() as admin:
            admin.execute("SELECT pg_reload_conf()")


def server_file(path: str, text: str | None = None) -> str:
    """Read (or write) a file of the PostgreSQL primary: on compose, inside its container, as `postgres`."""
    from course_project import services

    if services.backend() == "compose":
        from course_project.services import compose

        if text is None:
            return compose.compose("exec", "-T", "-u", "postgres", "postgres", "cat", path, capture=True)
        compose.compose(
            "exec", "-T", "-u", "postgres", "postgres", "sh", "-c", 'cat > "$1"', "-", path, capture=True, input=text
        )
        return text
    if text is not None:
        Path(path).write_text(text)
    return Path(path).read_text()


@contextmanager
def silent_port():
    """A port that accepts TCP connections and never answers, like a hung server; yields the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # the kernel completes the handshake; no one ever reads or replies
        yield listener.getsockname()[1]


def try_connect(
    user: str, password: str, port: int | None = None, database: str | None = None, timeout: int = 3
) -> str:
    try:
        with replace(PG, port=port or PG.port).connect(
            user=user, password=password, database=database, timeout=timeout
        ) as conn:
            return f"connected as {conn.execute('SELECT current_user').fetchone()[0]}"
    except psycopg.OperationalError as error:
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"


def server_log() -> list:
    """The PostgreSQL primary's log lines, as `./course services logs postgres` shows them."""
    from course_project import services

    if services.backend() == "compose":
        from course_project.services import compose

        return compose.compose("logs", "--no-log-prefix", "postgres", capture=True).splitlines()
    from course_project.services.native.base import home

    return (home() / "postgres" / "server.log").read_text(errors="replace").splitlines()


def messages(lines: list, users: tuple) -> list:
    """The FATAL lines about these users and the DETAIL lines after them, without time stamp and process id."""
    found, keep = [], False
    for line in lines:
        message = re.sub(r"^\S+ \S+ \S+ \[\d+\] ", "", line)
        if message.startswith("FATAL:"):
            keep = any(f'"{user}"' in message for user in users)
        elif not message.startswith(("DETAIL:", "\t")):
            keep = False
        if keep:
            found.append(message)
    return found
