"""Start, stop and inspect the course's servers, with Docker compose or natively.

    ./course services up|down|status|reset|logs|doctor [SERVER ...]

The backend is compose when a Docker
engine answers, otherwise native; COURSE_SERVICES=compose|native forces one.
"""

from concurrent.futures import ThreadPoolExecutor

from course_project.env import env
from course_project.services.config import select, servers
from course_project.services.errors import ServiceError
from course_project.services.probes import Probe, probe

__all__ = ["ServiceError", "backend", "up", "down", "reset", "status", "probe", "Probe", "servers"]


def backend() -> str:
    choice = env("COURSE_SERVICES", default="auto")
    if choice in ("compose", "native"):
        return choice
    from course_project.services.compose import engine_answers

    return "compose" if engine_answers() else "native"


def _select(names) -> list:
    """Names in start order, with what each needs first (the replica and pgBouncer need the primary)."""
    chosen = {s.name for s in select(names)}
    chosen |= {need for s in select(names) for need in s.needs}
    return [s.name for s in select(sorted(chosen))]


def up(*names, quiet=False):
    """Start servers (all by default) and wait until each answers. Idempotent."""
    chosen = _select(names)
    if backend() == "compose":
        from course_project.services import compose

        compose.up(chosen)
    else:
        start_native(chosen, quiet)
    with ThreadPoolExecutor(len(chosen)) as pool:
        for result in pool.map(probe, [servers()[name] for name in chosen]):
            if not result.ok:
                raise ServiceError(result.message)
    return chosen


def start_native(chosen, quiet=False):
    """Start native servers at once where they are independent: the primary before the replica and
    pgBouncer (they wait for it), MariaDB and MongoDB beside them. Each start waits until its server answers."""
    from course_project.services.native import SERVERS

    started = {}

    def start(name):
        for need in servers()[name].needs:
            if need in started:
                started[need].result()  # its failure is reported once, by its own future
        if not quiet:
            print(f"starting {servers()[name].title} ...", flush=True)
        SERVERS[name]().start()

    with ThreadPoolExecutor(len(chosen)) as pool:
        for name in chosen:  # start order: what a server needs is submitted before it
            started[name] = pool.submit(start, name)
    errors = [future.exception() for future in started.values() if future.exception()]
    if errors:
        raise errors[0]


def down(*names):
    """Stop servers (all by default); natively, only the processes this project started."""
    chosen = list(names) if names else list(servers())
    _select(chosen)
    if backend() == "compose":
        from course_project.services import compose

        compose.down(list(names))
        return
    from course_project.services.native import SERVERS

    # dependants first: pgBouncer and the replica before the primary
    for name in reversed(list(servers())):
        if name in chosen:
            SERVERS[name]().stop()


def reset(*names):
    """Stop servers and delete their data, so the next `up` starts from scratch."""
    if backend() == "compose":
        from course_project.services import compose

        compose.reset(list(names))
        return
    from course_project.services.native import SERVERS

    chosen = list(names) if names else list(servers())
    if "postgres" in chosen:  # a replica cloned from a wiped primary is useless
        chosen += [n for n in ("replica", "pgbouncer") if n not in chosen]
    down(*chosen)
    for name in chosen:
        SERVERS[name]().wipe()


def status() -> list:
    """Probe every server: a list of Probe results in start order."""
    return [probe(s) for s in servers().values()]
