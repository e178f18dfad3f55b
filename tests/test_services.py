"""The services command and its probes, against the real servers."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from course_project import services
from course_project.env import PROJECT_ROOT
from course_project.services.config import servers
from course_project.services.probes import probe, status_table


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "course_tools", "services", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_status_shows_every_server_up():
    result = cli("status")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["server", "address", "backend", "state", "version"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert set(rows) == set(servers())
    for name, row in rows.items():
        assert row[1] == servers()[name].address
        assert row[2] == services.backend()
        assert row[3] == "up"
    assert "standby" in " ".join(rows["replica"])


def test_up_is_idempotent():
    before = {r.server.name: r.version for r in services.status()}
    result = cli("up")
    assert result.returncode == 0, result.stderr
    assert {r.server.name: r.version for r in services.status()} == before


@pytest.mark.timeout(60)
def test_down_then_up_one_server(restore_servers):
    assert cli("down", "replica").returncode == 0
    result = probe(servers()["replica"])
    assert not result.ok and "not running" in result.problem and "./course services up" in result.fix
    table = status_table(services.status())
    assert "DOWN" in table and "Problems:" in table
    status = cli("status")
    assert status.returncode == 3 and "replica" in status.stdout
    assert cli("up", "replica").returncode == 0
    assert probe(servers()["replica"]).ok


@pytest.mark.timeout(15)
def test_a_closed_port_is_diagnosed_quickly():
    dead = replace(servers()["postgres"], port=free_port())
    start = time.monotonic()
    result = probe(dead)
    assert not result.ok
    assert "not running" in result.problem
    assert "PostgreSQL primary" in result.message and "./course services up" in result.message
    assert time.monotonic() - start < 10  # a bound against hanging, not a speed claim


@pytest.mark.timeout(15)
def test_a_wrong_password_is_named(monkeypatch):
    monkeypatch.setenv("COURSE_WRONG_PASSWORD", "not-the-password")
    for name in ("postgres", "mariadb", "mongodb"):
        s = servers()[name]
        wrong = replace(s, password_var="COURSE_WRONG_PASSWORD")
        result = probe(wrong)
        assert not result.ok, name
        assert "login refused" in result.problem, (name, result.problem)
        assert "COURSE_WRONG_PASSWORD" in result.fix


@pytest.mark.timeout(15)
def test_another_program_on_the_port_is_diagnosed():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        s = servers()["mariadb"]
        impostor = replace(s, port=port)
        result = probe(impostor)
    assert not result.ok
    assert f"port {port} is held by another program" in result.problem and f"pid {os.getpid()})" in result.problem
    assert "MARIADB_PORT" in result.fix


def test_native_start_refuses_a_taken_port(monkeypatch, tmp_path):
    if services.backend() != "native":
        pytest.skip("native backend only")
    from course_project.services.errors import ServiceError
    from course_project.services.native.mongodb import MongoDB

    taken = servers()["postgres"].port  # a live server's port
    monkeypatch.setenv("MONGO_PORT", str(taken))
    monkeypatch.setenv("COURSE_STATE_DIR", str(tmp_path))
    with pytest.raises(ServiceError, match=f"port {taken} .* already taken"):
        MongoDB().start()


def test_reset_needs_confirmation():
    result = cli("reset")
    assert result.returncode == 2 and "--yes" in result.stderr


def test_unknown_server_is_a_clear_error():
    result = cli("up", "oracle")
    assert result.returncode == 1
    assert "unknown server" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.timeout(180)
def test_a_half_started_instance_says_why_and_is_made_again_next_time():
    """A first start cut short (its port taken by another program) leaves no half-made server behind."""
    import os
    import re
    import secrets
    import shutil

    from course_project.env import INSTANCES

    if services.backend() != "native":
        pytest.skip("native servers only: compose makes its containers itself")
    name = f"half-{secrets.token_hex(3)}"
    env = {**os.environ, "COURSE_INSTANCE": name}
    env.pop("PYTEST_XDIST_WORKER", None)

    def course(*args):
        return subprocess.run(
            [sys.executable, "-m", "course_tools", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
        )

    try:
        assert course("help").returncode == 0  # makes the instance's .env
        port = int(re.search(r"^POSTGRES_PORT=(\d+)$", (INSTANCES / name / ".env").read_text(), re.M)[1])
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", port))
            squatter.listen()
            first = course("services", "up", "postgres")
        assert first.returncode == 1
        assert f"port {port} on 127.0.0.1 is already taken by another program" in first.stderr
        again = course("services", "up", "postgres")
        assert again.returncode == 0, again.stderr
        assert "1 server(s) up" in again.stdout
    finally:
        course("services", "down")
        shutil.rmtree(INSTANCES / name, ignore_errors=True)
