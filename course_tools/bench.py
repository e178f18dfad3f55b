"""The course benchmark: connection costs and bulk loading, measured side by side in one run.

    ./course bench [--quick] [--out var/bench/bench.json]
    ./course bench --hub [N]      # only the workshop hub: N learners (3) log in at once (root)
    ./course bench --backends     # only `./course services up`: compose beside native (Docker and native)

Prints tables with ratios and writes the same numbers as JSON. Not part of the pass/fail
tests: timings are reported, never asserted. Loads are bounded and target 127.0.0.1 only.
"""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from course_project.env import PROJECT_ROOT

HUB_STATE = PROJECT_ROOT / "var" / "bench" / "hub"  # the same each run: a run after an interrupted one cleans up


def timed(fn, n: int, warmup: int = 5) -> float:
    """Median milliseconds of fn() over n runs."""
    import statistics

    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def per_query(n: int) -> dict:
    """connect + SELECT 1 + (close), per path."""
    import MySQLdb
    from django.db import connections

    from course_project.lessons.connection_pooling.measure import median, per_query_raw
    from course_project.lessons.connection_pooling.modes import register_all

    aliases = register_all()
    results = {
        "psycopg, reused connection (floor)": median(per_query_raw(False, n)),
        "psycopg, new connection": median(per_query_raw(True, n)),
        "psycopg, new connection via pgBouncer": median(per_query_raw(True, n, server="pgbouncer")),
    }

    def django_query(alias, close):
        def run():
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
            if close:
                connections[alias].close()

        return run

    for label, alias, close in (
        ("Django, new connection per query", "new connection per request", True),
        ("Django, persistent connection", "persistent (CONN_MAX_AGE=60)", False),
        ("Django, native pool (close returns it)", "Django's pool (psycopg 3)", True),
        ("Django via pgBouncer, new connection", "pgBouncer, transaction mode", True),
    ):
        results[label] = timed(django_query(aliases[alias], close), n)
    params = connections["legacy"].get_connection_params()
    reused = MySQLdb.connect(**params)

    def maria(new):
        def run():
            conn = MySQLdb.connect(**params) if new else reused
            cursor = conn.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchall()
            if new:
                conn.close()

        return run

    results["MariaDB (mysqlclient), new connection"] = timed(maria(True), n)
    results["MariaDB (mysqlclient), reused connection"] = timed(maria(False), n)
    reused.close()
    return results


def per_request(n: int) -> dict:
    from course_project.lessons.connection_pooling.measure import median, per_request_interleaved, stop_server
    from course_project.lessons.connection_pooling.modes import register_all

    try:
        return {mode: median(timings) for mode, timings in per_request_interleaved(register_all(), n).items()}
    finally:
        stop_server()


def bulk_load(rows: int) -> dict:
    """Rows per second: ORM save() in a loop, bulk_create / insert_many, and PostgreSQL COPY."""
    from django.db import connections

    from course_project.lessons.connection_pooling.models import BenchRow
    from course_project.runtime.mongo import database

    data = [(f"row {i}", i) for i in range(rows)]
    results = {}

    def rate(label, fn, alias=None):
        if alias:
            BenchRow.objects.using(alias).all().delete()
        start = time.perf_counter()
        fn()
        results[label] = rows / (time.perf_counter() - start)

    for alias, name in (("default", "PostgreSQL"), ("legacy", "MariaDB")):
        rate(
            f"{name}: save() in a loop",
            lambda a=alias: [BenchRow(name=n, value=v).save(using=a) for n, v in data],
            alias,
        )
        rate(
            f"{name}: bulk_create",
            lambda a=alias: BenchRow.objects.using(a).bulk_create(
                [BenchRow(name=n, value=v) for n, v in data], batch_size=1000
            ),
            alias,
        )

    def copy():
        connection = connections["default"]
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy("COPY pooling_benchrow (name, value) FROM STDIN") as writer,
        ):
            for row in data:
                writer.write_row(row)
        connection.connection.commit() if not connection.get_autocommit() else None

    rate("PostgreSQL: COPY", copy, "default")
    collection = database()["bench_rows"]
    collection.drop()
    rate("MongoDB: insert_one in a loop", lambda: [collection.insert_one({"name": n, "value": v}) for n, v in data])
    collection.drop()
    rate("MongoDB: insert_many", lambda: collection.insert_many([{"name": n, "value": v} for n, v in data]))
    collection.drop()
    for alias in ("default", "legacy"):
        BenchRow.objects.using(alias).all().delete()
    return results


def services_up_time() -> float:
    from course_project import services

    services.down()
    start = time.perf_counter()
    services.up(quiet=True)
    return time.perf_counter() - start


def backend_costs(rounds: int) -> dict:
    """`./course services up` on compose beside native: two throwaway instances, the same five servers, from
    empty data and then restarted with their data kept. Each round alternates which backend goes first."""
    import shutil
    import statistics

    from course_project.env import INSTANCES
    from course_project.services.docker_engine import engine_answers
    from course_tools.testing import in_instance

    if not engine_answers():
        raise SystemExit("error: --backends needs a Docker engine that answers (`docker info`) and the native servers")
    names = {"native": "bench-native", "compose": "bench-compose"}
    times = {f"{phase}, {backend}": [] for phase in ("from empty data", "restart, data kept") for backend in names}

    def timed_up(backend, phase):
        start = time.perf_counter()
        in_instance(names[backend], "services", "up", env={"COURSE_SERVICES": backend})
        times[f"{phase}, {backend}"].append(time.perf_counter() - start)

    try:
        for i in range(rounds):
            order = list(names) if i % 2 == 0 else list(reversed(names))
            for backend in order:
                in_instance(names[backend], "services", "reset", "--yes", env={"COURSE_SERVICES": backend})
                timed_up(backend, "from empty data")
            for backend in order:
                in_instance(names[backend], "services", "down", env={"COURSE_SERVICES": backend})
                timed_up(backend, "restart, data kept")
    finally:
        for backend, name in names.items():
            in_instance(name, "services", "reset", "--yes", check=False, env={"COURSE_SERVICES": backend})
            shutil.rmtree(INSTANCES / name, ignore_errors=True)
    return {label: statistics.median(values) for label, values in times.items()}


def suite_times(selection=("notebooks",)) -> dict:
    """The test suite (`./course test`) serially on one instance and in parallel on two, one after the other."""
    results = {}
    for label, workers in (("serial, 1 instance", "1"), ("parallel, 2 instances (xdist)", "2")):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "course_tools", "test", "-q", "-p", "no:randomly", *selection],
            cwd=PROJECT_ROOT,
            env={**os.environ, "COURSE_TEST_WORKERS": workers},
            capture_output=True,
            text=True,
        )
        results[label] = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"the suite failed ({label}):\n{proc.stdout[-2000:]}")
    return results


def learner_memory(name: str) -> dict:
    """MB of memory held by a learner's processes (they all run as the learner), by part."""
    import pwd

    uid, parts = pwd.getpwnam(name).pw_uid, {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if proc.stat().st_uid != uid:
                continue
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            rss = int(
                next(
                    line.split()[1] for line in (proc / "status").read_text().splitlines() if line.startswith("VmRSS:")
                )
            )
            pss = int(
                next(
                    line.split()[1]
                    for line in (proc / "smaps_rollup").read_text().splitlines()
                    if line.startswith("Pss:")
                )
            )
        except (OSError, StopIteration):
            continue
        part = (
            "single-user server"
            if "jupyterhub-singleuser" in cmdline
            else "kernels"
            if "ipykernel" in cmdline
            else "database servers"
        )
        rss_sum, pss_sum = parts.get(part, (0, 0))
        parts[part] = (rss_sum + rss, pss_sum + pss)
    report = {f"{part}, RSS": round(rss / 1024, 1) for part, (rss, _) in parts.items()}
    report["total, RSS"] = round(sum(rss for rss, _ in parts.values()) / 1024, 1)
    report["total, PSS (shared pages split)"] = round(sum(pss for _, pss in parts.values()) / 1024, 1)
    return report


NOTEBOOK = "notebooks/00_start_here.ipynb"


def rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(
                next(
                    line.split()[1]
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS:")
                )
            )
        except (OSError, StopIteration):
            continue
    return round(total / 1024, 1)


def bare_costs(n: int) -> dict:
    """The yardstick: N bare JupyterLab servers started at once (no hub, no course instance of their own),
    each running the notebook's first cell against servers already up; spawn to a ready cell, and memory."""
    import statistics
    from concurrent.futures import ThreadPoolExecutor

    from course_project import services
    from course_tools.hub.install import learner_env
    from course_tools.hub.session import BareLab

    env_dir = learner_env()
    services.up(quiet=True)  # the servers the bare users share: started before the clock runs
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}:{os.environ.get('PATH', '')}"}

    def spawn_to_ready(_) -> tuple:
        start = time.monotonic()
        lab = BareLab(env_dir / "bin", PROJECT_ROOT, env)
        try:
            lab.wait_ready()
            lab.run_first_cell(NOTEBOOK, PROJECT_ROOT)
        except Exception:
            lab.stop()
            raise
        return lab, time.monotonic() - start

    with ThreadPoolExecutor(n) as pool:
        runs = list(pool.map(spawn_to_ready, range(n)))
    memory = [rss_mb([lab.proc.pid]) for lab, _ in runs]  # the server, as the learners' figure (kernels apart)
    for lab, _ in runs:
        lab.stop()
    return {
        "bare spawn to ready notebook, s": [round(t, 1) for _, t in runs],
        "bare memory per user (server), MB RSS (mean)": round(statistics.mean(memory), 1),
    }


def hub_costs(n: int) -> dict:
    """N learners log in to a hub of their own at the same time: login to a ready notebook (its first
    cell, the bootstrap, done), at first login (prepared ahead with `hub prepare`) and when they come back;
    then memory per learner."""
    import statistics
    from concurrent.futures import ThreadPoolExecutor

    from course_tools.hub.session import HubProcess, LearnerSession

    names = [f"bench-{i}" for i in range(1, n + 1)]
    with HubProcess(HUB_STATE, names) as hub:
        start = time.monotonic()
        prepared = hub.course("hub", "prepare", *names, timeout=1800)
        if prepared.returncode != 0:
            raise SystemExit(f"`hub prepare` failed:\n{prepared.stderr[-2000:]}")
        prepare_s = time.monotonic() - start
        people = [LearnerSession(hub.url, name, hub.password) for name in names]

        def login_to_ready(person) -> float:
            start = time.monotonic()
            person.login()
            person.start_server()
            errors = person.run_notebook(NOTEBOOK, Path(f"/home/{person.name}/course"))
            assert not errors, f"{person.name}: {errors}"
            return person.first_cell_at - start

        with ThreadPoolExecutor(n) as pool:
            first = list(pool.map(login_to_ready, people))
        memory = {name: learner_memory(name) for name in names}
        for person in people:  # stop them all (their databases stop too), then all come back at once
            person.api("DELETE", f"/users/{person.name}/server")
        while any(person.api("GET", f"/users/{person.name}").json()["servers"] for person in people):
            time.sleep(0.5)
        with ThreadPoolExecutor(n) as pool:
            again = list(pool.map(login_to_ready, people))
    per_learner = {
        key: round(statistics.mean(m[key] for m in memory.values()), 1) for key in next(iter(memory.values()))
    }
    return {
        "learners": n,
        "prepare (ahead of time, all learners), s": round(prepare_s, 1),
        "first login to ready notebook, s": [round(t, 1) for t in first],
        "returning login to ready notebook, s": [round(t, 1) for t in again],
        "memory per learner, MB (mean)": per_learner,
    }


def table(title: str, values: dict, unit: str, base_label: str) -> str:
    base = values[base_label]
    lines = [f"\n{title}", f"  {'':46}{unit:>12}   ratio to: {base_label}"]
    lines += [f"  {label:46}{value:>12.3f}   {value / base:8.1f}x" for label, value in values.items()]
    return "\n".join(lines)


def add_arguments(parser):
    parser.add_argument("--quick", action="store_true", help="fewer iterations; no server restart")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "bench" / "bench.json")
    parser.add_argument(
        "--hub",
        nargs="?",
        type=int,
        const=3,
        metavar="N",
        help="only the workshop hub: N learners (default 3) log in at once; memory per learner",
    )
    parser.add_argument(
        "--backends",
        action="store_true",
        help="only `./course services up`, compose beside native (needs Docker and the native servers)",
    )
    parser.add_argument(
        "--suite",
        nargs="*",
        metavar="PATH",
        help="also time the test suite serially and in parallel (default paths: notebooks)",
    )


def run(args) -> int:
    from course_project.runtime.bootstrap import require, setup
    from course_tools.install import ready

    if args.hub:
        return run_hub(args)
    if args.backends:
        return run_backends(args)
    ready()

    require("postgres", "pgbouncer", "mariadb", "mongodb")
    setup(quiet=True, migrate=["default", "legacy"])  # the benchmark's table on both SQL servers
    n, rows = (30, 300) if args.quick else (200, 2000)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "quick": args.quick,
    }
    report["per_query_ms"] = per_query(n)
    print(
        table(
            "Per query: connect (if new) + SELECT 1, median",
            report["per_query_ms"],
            "ms",
            "psycopg, reused connection (floor)",
        )
    )
    report["per_request_ms"] = per_request(n)
    print(
        table(
            "Per request: the full Django request cycle on a loopback WSGI server, median",
            report["per_request_ms"],
            "ms",
            "persistent (CONN_MAX_AGE=60)",
        )
    )
    report["bulk_rows_per_s"] = bulk_load(rows)
    print(table(f"Bulk loading {rows} rows", report["bulk_rows_per_s"], "rows/s", "PostgreSQL: save() in a loop"))
    from course_tools.course_map import run_times

    report["notebook_suite_s"] = round(sum(run_times().values()), 1)
    print(f"\nNotebook suite: {report['notebook_suite_s']} s (sum of the last measured run times, ./course refresh)")
    if not args.quick:
        report["services_up_s"] = services_up_time()
        print(f"Services: every server stopped, then up and ready in {report['services_up_s']:.1f} s")
    if args.suite is not None:
        report["suite_s"] = suite_times(tuple(args.suite) or ("notebooks",))
        print(
            table(
                "Test suite, wall clock (same selection, one run after the other)",
                report["suite_s"],
                "s",
                "parallel, 2 instances (xdist)",
            )
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nJSON: {args.out}")
    return 0


def run_backends(args) -> int:
    rounds = 1 if args.quick else 3
    costs = backend_costs(rounds)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 1)},
        "rounds": rounds,
        "services_up_s": costs,
    }
    for phase in ("from empty data", "restart, data kept"):
        values = {backend: costs[f"{phase}, {backend}"] for backend in ("native", "compose")}
        print(table(f"`./course services up`, {phase} (median of {rounds})", values, "s", "native"))
    out = args.out.with_name("bench-backends.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nJSON: {out}")
    return 0


def run_hub(args) -> int:
    import signal
    import statistics

    if os.geteuid() != 0:
        raise SystemExit("error: --hub creates an OS user per learner: run it as root")
    for sig in (signal.SIGTERM, signal.SIGHUP):  # killed politely: stop the hub and remove the learners
        signal.signal(sig, lambda number, _: sys.exit(128 + number))
    n = args.hub
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    report.update(bare_costs(n))
    report["hub"] = hub = hub_costs(n)
    bare = statistics.mean(report["bare spawn to ready notebook, s"])
    for login in ("first", "returning"):
        login_times = hub[f"{login} login to ready notebook, s"]
        report[f"bare ratio, {login} login"] = round(statistics.mean(login_times) / bare, 1)
    print(
        f"\nWorkshop hub, {n} learners logging in at the same time ({report['date']}, "
        f"{report['machine']['cpus']} cores, {report['machine']['memory_gb']} GB)"
    )
    print(f"  {'':46}{'seconds (each learner)':>24}   ratio to bare (means)")
    rows = [
        ("bare JupyterLab: spawn to ready notebook", report["bare spawn to ready notebook, s"], 1.0),
        (
            "first login (prepared) to ready notebook",
            hub["first login to ready notebook, s"],
            report["bare ratio, first login"],
        ),
        (
            "returning login to ready notebook",
            hub["returning login to ready notebook, s"],
            report["bare ratio, returning login"],
        ),
    ]
    for label, times, ratio in rows:
        print(f"  {label:46}{', '.join(map(str, times)):>24}   {ratio:8.1f}x")
    print(f"  `hub prepare` ahead of time, all {n} learners: {hub['prepare (ahead of time, all learners), s']} s")
    bare_memory = report["bare memory per user (server), MB RSS (mean)"]
    print(f"  memory per user, bare JupyterLab server: {bare_memory:>8.1f} MB RSS")
    for key, value in hub["memory per learner, MB (mean)"].items():
        print(f"  memory per learner: {key:31}{value:>8.1f} MB")
    out = args.out.with_name("bench-hub.json") if args.out.name == "bench.json" else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"\nJSON: {out}")
    return 0
