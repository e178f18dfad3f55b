"""course_project.settings: one alias per server, everything from the environment."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connections

from course_project.env import ENV_FILE, PROJECT_ROOT, env
from course_project.runtime.masking import mask
from course_project.services.config import servers

ALIASES = {"default", "sqlite", "sqlite_wal", "analytics", "replica", "bouncer", "legacy", "mongodb"}


def test_one_alias_per_server():
    from course_project.settings import build_databases

    databases = build_databases()  # as configured (the test session points mirrors at the primary)
    assert set(databases) == ALIASES <= set(settings.DATABASES)  # lessons may add aliases at run time
    ports = {alias: int(cfg["PORT"]) for alias, cfg in databases.items() if cfg.get("PORT")}
    s = servers()
    assert ports == {
        "default": s["postgres"].port,
        "analytics": s["postgres"].port,
        "replica": s["replica"].port,
        "bouncer": s["pgbouncer"].port,
        "legacy": s["mariadb"].port,
    }
    assert f":{s['mongodb'].port}/" in databases["mongodb"]["HOST"]


def test_credentials_come_from_the_environment():
    assert settings.DATABASES["default"]["PASSWORD"] == env("POSTGRES_PASSWORD")
    assert settings.DATABASES["legacy"]["PASSWORD"] == env("MARIADB_PASSWORD")
    assert env("DJANGO_SECRET_KEY") == settings.SECRET_KEY
    assert env("MONGO_PASSWORD") in settings.DATABASES["mongodb"]["HOST"]


def test_no_secret_from_env_is_in_a_tracked_file():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True)
    names = [n for n in tracked.stdout.decode().split("\0") if n]
    secrets = [v for k, v in env.ENVIRON.items() if any(w in k for w in ("PASSWORD", "SECRET")) and len(v) >= 12]
    assert secrets, "expected generated secrets in the environment"
    for name in names:
        path = PROJECT_ROOT / name
        if path.is_file():
            text = path.read_text(errors="ignore")
            assert not any(secret in text for secret in secrets), f"a secret from .env is in {name}"
    assert ENV_FILE.name not in names


@pytest.mark.parametrize("alias", ["default", "analytics", "replica", "bouncer"])
def test_postgres_aliases_fail_fast(alias):
    assert settings.DATABASES[alias]["OPTIONS"]["connect_timeout"] <= 5


def test_mariadb_is_strict_and_utf8mb4():
    options = settings.DATABASES["legacy"]["OPTIONS"]
    assert "STRICT_TRANS_TABLES" in options["init_command"]
    assert options["charset"] == "utf8mb4"
    assert options["connect_timeout"] <= 5


def test_test_databases_mirror_the_primary():
    assert settings.DATABASES["replica"]["TEST"]["MIRROR"] == "default"
    assert settings.DATABASES["bouncer"]["TEST"]["MIRROR"] == "default"
    assert settings.DATABASES["bouncer"]["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_mask_hides_every_password():
    masked = mask(settings.DATABASES)
    text = repr(masked)
    for var in ("POSTGRES_PASSWORD", "MARIADB_PASSWORD", "MONGO_PASSWORD"):
        assert env(var) not in text
    assert masked["default"]["USER"] == settings.DATABASES["default"]["USER"]


def test_a_missing_required_variable_is_a_clear_error():
    code = "from course_project.env import env; env('POSTGRES_PASSWORD')"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "COURSE_ENV_FILE": "/nonexistent/.env"},
    )
    assert proc.returncode != 0
    assert "Set the POSTGRES_PASSWORD environment variable" in proc.stderr


@pytest.mark.django_db(databases=["default", "legacy", "analytics", "replica", "bouncer", "sqlite"])
def test_every_sql_alias_answers():
    for alias in ("default", "legacy", "analytics", "replica", "bouncer", "sqlite"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone()[0] == 1
