"""Every fault is one clear line: faults caused for real on PostgreSQL and MongoDB, each answer checked.

Stopped, hung (SIGSTOP), wrong password, and another program on the server's own port. Each answer is
one line of at most 300 characters, within 5 seconds, naming the server, what is wrong and the fix;
never a driver's raw text. The notebooks' bootstrap (require) gives the same line.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from course_project import services
from course_project.runtime.bootstrap import ServersUnavailable, require
from course_project.services.config import servers
from course_project.services.listeners import listeners
from course_project.services.probes import MAX_LINE, probe, short

DRILLED = ["postgres", "mongodb"]
RAW = (
    "TopologyDescription",
    "Topology Description",
    "$clusterTime",
    "full error",
    "connection to server at",
    "Traceback",
    "ServerDescription",
)
native_only = pytest.mark.skipif(
    services.backend() != "native", reason="a native server's own process is suspended; compose would need docker pause"
)


def one_clear_line(name: str, *expected: str) -> str:
    """Ask the bootstrap, the way a notebook does; check the answer's shape and return it."""
    start = time.monotonic()
    with pytest.raises(ServersUnavailable) as info:
        require(name)
    took = time.monotonic() - start
    line = str(info.value)
    assert took < 5, f"{took:.1f} s: {line}"
    assert "\n" not in line and len(line) <= MAX_LINE, line
    assert line.startswith(servers()[name].title) and "Fix: " in line, line
    assert not any(raw in line for raw in RAW), line
    for words in expected:
        assert words in line, line
    return line


@contextmanager
def stopped(name: str):
    services.down(name)
    try:
        yield
    finally:
        services.up(name, quiet=True)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", DRILLED)
def test_a_stopped_server_is_reported_at_once(name, restore_servers):
    with stopped(name):
        start = time.monotonic()
        probe(servers()[name])
        took = time.monotonic() - start
        one_clear_line(name, "not running (nothing listens on that port)", "./course services up")
    assert took < 1, f"a refused port is known at once, before any driver waits ({took:.1f} s)"


@native_only
@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", DRILLED)
def test_a_hung_server_is_named_with_the_way_out(name):
    from course_project.services.native import SERVERS

    pid = SERVERS[name]().running()
    os.kill(pid, signal.SIGSTOP)
    try:
        one_clear_line(name, "hung", f"pid {pid}", "suspended", f"kill -CONT {pid}")
    finally:
        os.kill(pid, signal.SIGCONT)
    assert probe(servers()[name]).ok


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", DRILLED)
def test_a_wrong_password_is_named_without_the_drivers_dump(name, monkeypatch):
    server = servers()[name]
    monkeypatch.setenv(server.password_var, "not-the-password")
    one_clear_line(
        name,
        f"login refused: wrong password for user {server.user!r}",
        f"make {server.password_var} in .env match the server",
    )


@pytest.mark.timeout(90)
@pytest.mark.parametrize("name", DRILLED)
def test_another_program_on_the_servers_port_is_named(name, restore_servers):
    port = servers()[name].port
    with stopped(name):
        squatter = subprocess.Popen(
            [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while not listeners(port) and time.monotonic() < deadline:
                time.sleep(0.1)
            one_clear_line(
                name,
                f"port {port} is held by another program",
                f"pid {squatter.pid}",
                f"give {servers()[name].port_var} a free port",
            )
        finally:
            squatter.terminate()
            squatter.wait()


@pytest.mark.timeout(30)
def test_a_busy_server_says_so():
    """PostgreSQL whose course database has no connection slot left (its limit set to 0)."""
    server = servers()["postgres"]
    with server.connect(admin=True) as admin:
        admin.execute(f'ALTER DATABASE "{server.database}" CONNECTION LIMIT 0')
        try:
            one_clear_line("postgres", "busy: no connection slots left", "use a pool")
        finally:
            admin.execute(f'ALTER DATABASE "{server.database}" CONNECTION LIMIT -1')


def test_short_keeps_the_drivers_point():
    libpq = (
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
        'database "nope" does not exist'
    )
    assert short(Exception(libpq)) == 'database "nope" does not exist'
    pymongo = "127.0.0.1:1: timed out, Timeout: 3.0s, Topology Description: <TopologyDescription id: 1>"
    assert short(Exception(pymongo)) == "127.0.0.1:1: timed out"
    assert short(Exception('(2013, "Lost connection to server")')) == "Lost connection to server"
