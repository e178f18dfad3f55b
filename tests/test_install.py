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

