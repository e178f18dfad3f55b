"""./course setup on the platforms it meets: what it finds on this machine, and what it says elsewhere."""

import pytest

from course_project import services
from course_tools import install

NATIVE_ONLY = pytest.mark.skipif(services.backend() == "compose", reason="the native servers' packages: not on compose")


@NATIVE_ONLY
def test_this_machine_has_what_the_native_path_and_mysqlclient_need():
    missing = [need.what for need in install.native_needs() + install.build_needs() if not need.present]
    assert missing == []


@NATIVE_ONLY
def test_the_postgres_server_is_found_not_assumed():
    from course_project.services.native.postgres import MIN_VERSION, bin_dir

    found = bin_dir()
    assert found.startswith("/usr/lib/postgresql/") and int(found.split("/")[4]) >= MIN_VERSION


def test_on_macos_the_message_names_homebrew_and_docker(monkeypatch):
    monkeypatch.setattr(install.platform, "system", lambda: "Darwin")
    message = install.missing_help([install.Need("pkg-config", False, "pkg-config")])
    assert "brew install pkg-config mysql-client" in message and "COURSE_SERVICES=compose" in message


def test_without_root_or_sudo_one_message_names_the_packages_and_the_docker_route(monkeypatch):
    monkeypatch.setattr(install, "_can_sudo", lambda: None)
    monkeypatch.setattr(install, "build_needs", lambda: [install.Need("a C compiler", False, "gcc")])
    try:
        install.system_packages(native=False)
    except SystemExit as error:
        message = str(error)
    else:
        raise AssertionError("a missing compiler with no root must stop the set-up")
    assert message.startswith("error: missing: a C compiler.")
    assert "sudo apt-get install gcc" in message and "COURSE_SERVICES=compose" in message


@NATIVE_ONLY
def test_the_native_mongodb_runs_on_a_python_that_secantusdb_has_a_wheel_for():
    import sys
    from pathlib import Path

    from course_project.services.native.mongodb import SERVER_VENV, MongoDB
    from course_tools import mongodb_env

    pid = MongoDB().running()
    assert pid, "the test instance's MongoDB runs"
    interpreter, script = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:2]
    home = SERVER_VENV if mongodb_env.needed() else Path(sys.prefix)
    assert Path(script.decode()) == home / "bin" / "secantusd-py"
    assert Path(interpreter.decode()).parent == home / "bin"
    assert mongodb_env.needed() is (sys.version_info[:2] >= (3, 14))


def test_a_djongo_environment_that_could_not_be_built_is_removed_so_notebook_08_says_so(tmp_path, monkeypatch, capsys):
    import subprocess

    venv = tmp_path / ".venv-djongo"

    def run(cmd, **kwargs):  # the venv is made, then the install fails (as a missing wheel would)
        if "venv" in cmd:
            (venv / "bin").mkdir(parents=True)
            (venv / "bin" / "python").touch()
            return subprocess.CompletedProcess(cmd, 0, "", "")
        return subprocess.CompletedProcess(cmd, 1, "", "error: no matching distribution")

    monkeypatch.setattr(install, "DJONGO_VENV", venv)
    monkeypatch.setattr(install.subprocess, "run", run)
    install.djongo_env()
    assert not venv.exists()
    assert "could not be built" in capsys.readouterr().err
