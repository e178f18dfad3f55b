"""What this machine still needs before `./course lab` can work, with the fix for each item.

    ./course preflight

It changes nothing: Python, Docker or the native servers, mysqlclient's build needs, the ports in
.env (free, or held by the course's own servers) and disk space.
"""

import shutil
import socket
import sys

from course_project.env import PROJECT_ROOT

PYTHONS = ((3, 11), (3, 14))


def port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def checks():
    """Yield (ok, what, fix) for every item."""
    from course_project import services
    from course_project.services.docker_engine import engine_answers
    from course_tools.install import build_needs, missing_help, native_needs

    low, high = PYTHONS
    version = sys.version_info[:2]
    fix = f"use Python {low[0]}.{low[1]} to {high[0]}.{high[1]} (PYTHON=... ./course)"
    yield low <= version <= high, f"Python {version[0]}.{version[1]}", fix
    docker = engine_answers()
    yield (
        True,
        "Docker engine: "
        + ("answers, servers will run in compose" if docker else "not available, servers will run natively"),
        "",
    )
    for need in build_needs() + ([] if docker else native_needs()):
        yield need.present, need.what, missing_help([need])
    ours = {r.server.port for r in services.status() if r.ok}
    for server in services.servers().values():
        free = port_free(server.host, server.port)
        state = "free" if free else ("in use by the course's own server" if server.port in ours else "in use")
        key = server.port_var
        yield (
            free or server.port in ours,
            f"port {server.port} ({key}) {state}",
            f"stop what uses port {server.port}, or set another {key} in .env",
        )
    free_gb = shutil.disk_usage(PROJECT_ROOT).free / 2**30
    yield free_gb > 2, f"disk: {free_gb:.0f} GB free", "free at least 2 GB (servers and packages need about 1.5 GB)"


def add_arguments(parser):
    pass


def run(args) -> int:
    problems = 0
    for ok, what, fix in checks():
        print(f"[{'ok' if ok else '!!'}] {what}" + ("" if ok else f"\n     fix: {fix}"))
        problems += not ok
    print("Ready: run ./course lab" if not problems else f"{problems} item(s) to fix before ./course lab")
    return 1 if problems else 0
