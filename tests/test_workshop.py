"""Workshop mode and pre-flight, as an instructor uses them."""

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

from course_project import services
from course_project.env import PROJECT_ROOT
from course_tools.workshop import check

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.timeout(120)
def test_check_says_pass_for_a_good_notebook(capsys):
    assert check("01") is True
    assert capsys.readouterr().out.startswith("PASS: 01_sqlite.ipynb ran on this machine")


@pytest.mark.timeout(120)
def test_check_says_fail_for_a_notebook_whose_outputs_changed(tmp_path, capsys):
    notebook = json.loads((NOTEBOOKS / "01_sqlite.ipynb").read_text())
    cell = next(
        c
        for c in notebook["cells"]
        if c["cell_type"] == "code" and c["outputs"] and "notes" in "".join(c["outputs"][0].get("text", ""))
    )
    cell["outputs"][0]["text"] = ["7 notes\n", "[]\n"]
    (tmp_path / "01_sqlite.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "course_setup.py").write_text(
        f"import sys; sys.path.insert(0, {str(NOTEBOOKS)!r}); from course_setup import *  # noqa\n"
    )
    assert check(str(tmp_path / "01_sqlite.ipynb")) is False
    out = capsys.readouterr().out
    assert out.startswith("FAIL: 01_sqlite.ipynb did not run cleanly") and "./course services status" in out


@pytest.mark.timeout(180)
def test_reset_rebuilds_an_isolated_stack_from_scratch(tmp_path):
    if services.backend() != "native":
        pytest.skip("runs a second, isolated native stack")
    keys = ["POSTGRES_PORT", "POSTGRES_REPLICA_PORT", "PGBOUNCER_PORT", "MARIADB_PORT", "MONGO_PORT"]
    env = {
        **os.environ,
        "COURSE_STATE_DIR": str(tmp_path),
        "COURSE_SERVICES": "native",
        **dict(zip(keys, map(str, free_ports(len(keys))), strict=True)),
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=150
        )

    try:
        result = run("course_tools", "workshop", "reset")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "back to their starting state" in result.stdout
        status = run("course_tools", "services", "status")
        assert status.returncode == 0, status.stdout
        assert (tmp_path / "sqlite" / "course.sqlite3").exists()
    finally:
        run("course_tools", "services", "down")
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_preflight_names_a_taken_port_and_its_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "course_tools", "preflight"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "MONGO_PORT": str(port)},
            capture_output=True,
            text=True,
        )
    assert result.returncode == 1
    assert f"[!!] port {port} (MONGO_PORT) in use" in result.stdout
    assert f"fix: stop what uses port {port}, or set another MONGO_PORT in .env" in result.stdout
