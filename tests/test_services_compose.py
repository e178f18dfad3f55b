"""The compose path's own commands, live: `./course services ...` on docker-compose.yml's containers.

Runs where the compose backend is chosen and a Docker engine answers (CI's compose leg:
`.ci/compose run ./course test`); elsewhere it skips, saying why. Each test uses course instances of
its own (own .env, ports and compose project), and removes their containers and volumes afterwards.
"""

import os
import re
import socket
import subprocess
import sys

import pytest

from course_project import services
from course_project.env import INSTANCES, PROJECT_ROOT
from course_project.services.docker_engine import engine_answers

pytestmark = [
    pytest.mark.skipif(
        services.backend() != "compose",
        reason="the compose path's commands run on compose only (CI: .ci/compose run ./course test)",
    ),
    pytest.mark.skipif(
        services.backend() == "compose" and not engine_answers(),
        reason="no Docker engine answers (`docker info` fails)",
    ),
]

A, B, PORT = "cmp-a", "cmp-b", "cmp-port"


def instance_env(instance) -> dict:
    """The environment of a process that works on one instance (not this pytest worker's own)."""
    # port blocks far above the suite's own instances (a whole run once found slots 4 and 5 taken)
    env = {**os.environ, "COURSE_INSTANCE": instance, "COURSE_SLOT_FLOOR": "80"}
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def course(instance, *args, check=True):
    """`./course ARGS` for one instance, in a process of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "course_tools", *args],
        cwd=PROJECT_ROOT,
        env=instance_env(instance),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check:
        assert result.returncode == 0, f"./course {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


def settings(instance) -> dict:
    text = (INSTANCES / instance / ".env").read_text()
    return dict(re.findall(r"^([A-Z_]+)=(.*)$", text, re.M))


def project(instance) -> str:
    return f"django-db-course-{instance}"


def docker(*args) -> str:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True).stdout


def volumes(instance) -> list:
    return sorted(v for v in docker("volume", "ls", "-q").split() if v.startswith(project(instance) + "_"))


@pytest.fixture(scope="module")
def instance_a():
    course(A, "services", "up")
    yield settings(A)
    course(A, "services", "reset", "--yes", check=False)


def pg_admin(conf):
    import psycopg

    return psycopg.connect(
        host="127.0.0.1",
        port=int(conf["POSTGRES_PORT"]),
        dbname="postgres",
        user="postgres",
        password=conf["POSTGRES_SUPERUSER_PASSWORD"],
        autocommit=True,
        connect_timeout=5,
    )


def test_up_status_logs_doctor(instance_a):
    status = course(A, "services", "status")
    rows = [line.split() for line in status.stdout.splitlines()[1:] if line.strip()]
    assert [r[0] for r in rows] == list(services.servers())
    assert all(r[2:4] == ["compose", "up"] for r in rows), status.stdout
    assert "standby" in status.stdout  # the replica really replicates

    logs = course(A, "services", "logs", "postgres").stdout
    assert "database system is ready to accept connections" in logs

    doctor = course(A, "services", "doctor")
    assert "All servers healthy." in doctor.stdout


def test_health_report_shows_the_state_and_last_checks(instance_a):
    """What a failed `up --wait` prints for a service: its container's state and last health checks."""
    code = "import course_project.services.compose as c; print(c.health_report(c.base_command(), 'mongodb'))"
    run = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=instance_env(A), capture_output=True)
    out = run.stdout.decode()
    first, *checks = out.splitlines()
    assert first.startswith("--- mongodb's container: running since ") and ", healthy (failing streak 0)" in first, out
    assert 1 <= len(checks) <= 3 and re.match(r"  check at \d\d:\d\d:\d\d: exit 0", checks[-1]), out


def test_up_is_idempotent_and_down_stops_the_containers(instance_a):
    again = course(A, "services", "up")
    assert re.search(r"^5 server\(s\) up in [\d.]+ s \(compose\)$", again.stdout, re.M)
    course(A, "services", "down", "mariadb")
    running = docker(
        "ps",
        "--filter",
        f"label=com.docker.compose.project={project(A)}",
        "--format",
        '{{.Label "com.docker.compose.service"}}',
    ).split()
    assert "mariadb" not in running and "postgres" in running
    status = course(A, "services", "status", check=False)
    assert status.returncode == 3 and "not running" in status.stdout
    course(A, "services", "up", "mariadb")


def test_reset_removes_the_named_volumes(instance_a):
    with pg_admin(instance_a) as conn:
        conn.execute("CREATE TABLE reset_marker (id int)")
        conn.execute("INSERT INTO reset_marker VALUES (1)")
    assert len(volumes(A)) == 4  # postgres, replica, mariadb and mongodb data

    reset = course(A, "services", "reset", "--yes")
    assert "wiped" in reset.stdout
    assert volumes(A) == []

    course(A, "services", "up", "postgres")
    with pg_admin(instance_a) as conn:
        assert conn.execute("SELECT to_regclass('reset_marker')").fetchone()[0] is None
    course(A, "services", "up")


def test_a_taken_port_gives_one_clear_line():
    course(PORT, "help")  # creates the instance's .env and its port block
    port = int(settings(PORT)["POSTGRES_PORT"])
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        result = course(PORT, "services", "up", "postgres", check=False)
    course(PORT, "services", "reset", "--yes", check=False)
    assert result.returncode != 0
    line = result.stderr.strip().splitlines()[-1]
    assert line == (
        f"error: PostgreSQL primary: port {port} on 127.0.0.1 is already taken by another program. "
        f"Stop that program, or choose another port (POSTGRES_PORT) in .env."
    ), result.stderr


def dash_passwords(instance):
    """Every password of the instance's .env made to begin with "-" (a generated one may), before its first start."""
    env = INSTANCES / instance / ".env"
    env.write_text(re.sub(r"^([A-Z_]+_PASSWORD)=(?!-)", r"\1=-", env.read_text(), flags=re.M))


def test_two_instances_side_by_side(instance_a):
    from pymongo import MongoClient

    try:
        course(B, "help")  # creates the instance's .env
        dash_passwords(B)
        course(B, "services", "up")
        assert "All servers healthy." in course(B, "services", "doctor").stdout  # each logs in with its password
        b = settings(B)
        assert b["POSTGRES_PORT"] != instance_a["POSTGRES_PORT"]
        assert b["MONGO_ROOT_PASSWORD"].startswith("-") and b["POSTGRES_SUPERUSER_PASSWORD"].startswith("-")
        for name, conf in ((A, instance_a), (B, b)):
            with pg_admin(conf) as conn:  # each instance's own password works on its own port only
                assert conn.execute("SELECT 1").fetchone() == (1,)
            containers = docker("ps", "--filter", f"label=com.docker.compose.project={project(name)}", "-q").split()
            assert containers, name
        root = MongoClient(
            host="127.0.0.1",
            port=int(b["MONGO_PORT"]),
            username=b["MONGO_ROOT_USER"],
            password=b["MONGO_ROOT_PASSWORD"],
            directConnection=True,
            serverSelectionTimeoutMS=5000,
        )
        with root:
            assert root.admin.command("hello")["isWritablePrimary"] is True
        status_a = course(A, "services", "status").stdout
        assert f"127.0.0.1:{instance_a['POSTGRES_PORT']}" in status_a
    finally:
        course(B, "services", "reset", "--yes", check=False)
    assert volumes(B) == []
