"""docker-compose.yml and the native backend describe the same servers.

Compose cannot run here (no Docker engine), so this reads the file and compares it with
what the native backend does, and validates it with Debian's docker-compose if installed.
"""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from course_project import services
from course_project.env import ENV_EXAMPLE, ENV_FILE, PROJECT_ROOT, env
from course_project.services.config import HERE, servers
from course_project.services.native import SERVERS as NATIVE
from course_project.services.native.mariadb import MIN_VERSION as MARIADB_MIN
from course_project.services.native.postgres import MIN_VERSION as PG_MIN
from course_project.services.native.postgres import pg as native_pg

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORT_VAR = {
    "postgres": "POSTGRES_PORT",
    "replica": "POSTGRES_REPLICA_PORT",
    "pgbouncer": "PGBOUNCER_PORT",
    "mariadb": "MARIADB_PORT",
    "mongodb": "MONGO_PORT",
}


def example_keys():
    return {
        line.split("=", 1)[0]
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }


def test_same_servers_same_order():
    assert list(SERVICES) == list(servers()) == list(NATIVE)


@pytest.mark.parametrize("name", list(PORT_VAR))
def test_same_port_variable_bound_to_loopback_only(name):
    (mapping,) = SERVICES[name]["ports"]
    host, port, _inside = mapping.split(":")
    assert host == "127.0.0.1"
    assert port == f"${{{PORT_VAR[name]}}}"
    assert servers()[name].port == env.int(PORT_VAR[name])


def test_every_variable_compose_uses_is_in_env_example():
    used = set(re.findall(r"\$\{(\w+)\}", (PROJECT_ROOT / "docker-compose.yml").read_text()))
    assert used <= example_keys(), used - example_keys()


@pytest.mark.parametrize(
    "name,image",
    [("postgres", "postgres:15"), ("replica", "postgres:15"), ("mariadb", "mariadb:10.11"), ("mongodb", "mongo:7")],
)
def test_images_pinned_to_the_oldest_supported_releases(name, image):
    assert SERVICES[name]["image"] == image


def version(text: str) -> tuple:
    return tuple(int(n) for n in re.search(r"\b(\d+)\.(\d+)", text).groups())


NATIVE_ONLY = pytest.mark.skipif(
    services.backend() == "compose", reason="needs the native servers' binaries; on compose the images are the servers"
)


@NATIVE_ONLY
def test_the_images_are_the_floor_and_native_servers_meet_it():
    """Compose runs the oldest supported releases (PostgreSQL 15, MariaDB 10.11); the native path runs the
    distribution's own, which may be newer (Debian 13: 17 and 11.8). The notebooks' outputs hold on both."""
    images = {name: service["image"] for name, service in SERVICES.items() if "image" in service}
    assert images["postgres"] == images["replica"] == f"postgres:{PG_MIN}"
    assert images["mariadb"] == f"mariadb:{MARIADB_MIN[0]}.{MARIADB_MIN[1]}"
    pg = subprocess.run([native_pg("postgres"), "--version"], capture_output=True, text=True).stdout
    assert version(pg)[0] >= PG_MIN, pg
    maria = subprocess.run(
        [shutil.which("mariadbd") or "/usr/sbin/mariadbd", "--version"], capture_output=True, text=True
    ).stdout
    assert version(maria.split("Ver", 1)[1]) >= MARIADB_MIN, maria
    assert "debian:bookworm" in (HERE / "pgbouncer" / "Dockerfile").read_text()  # pgBouncer 1.18, the floor too


def test_healthchecks_and_ordered_start():
    for name, service in SERVICES.items():
        assert service["healthcheck"]["test"], name
    for name in ("replica", "pgbouncer"):
        assert SERVICES[name]["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_named_volumes_for_data():
    for name, mount in [
        ("postgres", "/var/lib/postgresql/data"),
        ("replica", "/var/lib/postgresql/data"),
        ("mariadb", "/var/lib/mysql"),
        ("mongodb", "/data/db"),
    ]:
        volume = next(v.split(":")[0] for v in SERVICES[name]["volumes"] if v.split(":")[1] == mount)
        assert volume in COMPOSE["volumes"], (name, volume)


def mounted(name, target_suffix):
    for volume in SERVICES[name]["volumes"]:
        source, target = volume.split(":")[:2]
        if target.endswith(target_suffix):
            return (PROJECT_ROOT / source).resolve()
    raise AssertionError(f"{name}: nothing mounted at *{target_suffix}")


def test_init_scripts_are_executable():
    """The images' entrypoints run executable scripts in their own shell instead of sourcing them."""
    for script in ("postgres/init.sh", "mariadb/init.sh", "postgres/replica-entrypoint.sh", "pgbouncer/entrypoint.sh"):
        assert os.access(HERE / script, os.X_OK), script


def test_both_paths_run_the_same_provisioning_files():
    assert mounted("postgres", "10-course.sh") == HERE / "postgres" / "init.sh"
    assert mounted("postgres", "course.conf") == HERE / "postgres" / "course.conf"
    assert mounted("mariadb", "10-course.sh") == HERE / "mariadb" / "init.sh"
    assert mounted("mariadb", "course.cnf") == HERE / "mariadb" / "course.cnf"
    assert mounted("mongodb", "app_user.json") == HERE / "mongodb" / "app_user.json"
    assert (PROJECT_ROOT / SERVICES["pgbouncer"]["build"]).resolve() == HERE / "pgbouncer"


def test_same_names_and_users():
    pg_env = SERVICES["postgres"]["environment"]
    assert pg_env["COURSE_DB"] == "${POSTGRES_DB}" and pg_env["COURSE_USER"] == "${POSTGRES_USER}"
    assert pg_env["COURSE_ANALYTICS_DB"] == "${POSTGRES_ANALYTICS_DB}"
    assert pg_env["POSTGRES_PASSWORD"] == "${POSTGRES_SUPERUSER_PASSWORD}"
    maria = SERVICES["mariadb"]["environment"]
    assert (maria["MARIADB_DATABASE"], maria["MARIADB_USER"]) == ("${MARIADB_DATABASE}", "${MARIADB_USER}")
    mongo = SERVICES["mongodb"]["environment"]
    assert (mongo["MONGO_DB"], mongo["MONGO_USER"]) == ("${MONGO_DB}", "${MONGO_USER}")
    assert mongo["MONGO_INITDB_ROOT_USERNAME"] == "${MONGO_ROOT_USER}"
    # the native backend provisions from the same variables
    from course_project.services.native.postgres import course_env

    compose_only = {"COURSE_HBA_REPLICATION", "COURSE_INCLUDE_CONF"}
    assert set(course_env()) == {k for k in pg_env if k.startswith("COURSE_")} - compose_only


def test_pgbouncer_in_transaction_mode_on_both_paths():
    template = (HERE / "pgbouncer" / "pgbouncer.ini").read_text()
    assert "pool_mode = transaction" in template
    assert "/etc/course/pgbouncer.ini" in (HERE / "pgbouncer" / "entrypoint.sh").read_text()


def test_mongodb_is_a_replica_set_with_auth_on_both_paths():
    entry = " ".join(SERVICES["mongodb"]["entrypoint"])
    assert "--replSet" in entry and "--keyFile" in entry
    from pymongo import MongoClient

    from course_project.services.config import mongo_uri

    with MongoClient(mongo_uri(), serverSelectionTimeoutMS=3000) as client:
        hello = client.admin.command("hello")
        assert hello.get("setName"), "the native server should present itself as a replica set too"
    with (
        MongoClient(mongo_uri(password="wrong"), serverSelectionTimeoutMS=3000) as client,
        pytest.raises(Exception, match="(?i)auth"),
    ):
        client.admin.command("ping")


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose is not installed")
def test_compose_file_is_valid():
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "--env-file", str(ENV_FILE), "config", "-q"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_reset_removes_the_named_volumes_too():
    from course_project.services.compose import PROJECT, volumes

    assert volumes("postgres") == [f"{PROJECT}_postgres-data"]
    assert volumes("pgbouncer") == []
