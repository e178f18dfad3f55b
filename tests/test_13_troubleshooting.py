"""Faults caused for real and diagnosed: the doctor, pg_hba, connection limits, conflicts."""
import subprocess
import sys

import pytest

from course_project import services
from course_project.env import PROJECT_ROOT, env
from course_project.lessons.migrations.throwaway import ThrowawayApp
from course_project.lessons.troubleshooting import solutions
from course_project.lessons.troubleshooting.exercises import exercises
from course_project.lessons.troubleshooting.faults import PG, pg_hba_rule, throwaway_role, try_connect


def doctor():
    return subprocess.run([sys.executable, "-m", "course_tools", "services", "doctor"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)


def test_doctor_healthy_then_names_a_stopped_server(restore_servers):
    healthy = doctor()
    assert healthy.returncode == 0 and "All servers healthy." in healthy.stdout
    services.down("mongodb")
    try:
        sick = doctor()
    finally:
        services.up("mongodb", quiet=True)
    assert sick.returncode == 1
    assert "[!!] mongodb    not running" in sick.stdout and "fix: `./course services up`" in sick.stdout


def test_wrong_password_and_wrong_port():
    assert "password authentication failed" in try_connect(PG.user, "wrong")
    assert "Connection refused" in try_connect(PG.user, env("POSTGRES_PASSWORD"), port=1)


@pytest.mark.skipif(services.backend() != "native", reason="edits the native primary's pg_hba.conf")
def test_pg_hba_reject_rule_is_diagnosed_and_restored():
    with throwaway_role("course_tmp_test_visitor") as password:
        with pg_hba_rule(f"host {PG.database} course_tmp_test_visitor 127.0.0.1/32 reject"):
            refused = try_connect("course_tmp_test_visitor", password)
        assert "pg_hba.conf rejects connection" in refused
        assert try_connect("course_tmp_test_visitor", password).startswith("connected")


def test_connection_limit_per_role():

    with throwaway_role("course_tmp_test_limited", connection_limit=1) as password:
        with PG.connect(user="course_tmp_test_limited", password=password):
            assert "too many connections" in try_connect("course_tmp_test_limited", password)


@pytest.mark.timeout(120)
def test_two_leaf_migrations_are_refused_then_merged():
    app = ThrowawayApp()
    try:
        app.models("class Note(models.Model):\n    a = models.IntegerField(default=0)\n"
                   "    b = models.IntegerField(default=0)\n")
        (app.migrations / "0001_initial.py").write_text(
            "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    initial = True\n"
            "    dependencies = []\n    operations = [migrations.CreateModel('Note', [('id', "
            "models.BigAutoField(primary_key=True))])]\n")
        for name in ("a", "b"):
            (app.migrations / f"0002_{name}.py").write_text(
                "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n"
                "    dependencies = [('throwaway', '0001_initial')]\n"
                f"    operations = [migrations.AddField('note', '{name}', models.IntegerField(default=0))]\n")
        assert "makemigrations --merge" in app.manage("migrate", "throwaway")
        app.manage("makemigrations", "throwaway", "--merge", "--no-input")
        assert any(name.startswith("0003_merge") for name in app.migration_files())
        assert "Applying throwaway.0003_merge" in app.manage("migrate", "throwaway")
    finally:
        app.close()


def test_solutions_pass_and_wrong_answers_fail():
    assert exercises.check(vars(solutions)).all_passed
    assert exercises.check({}).passed == 0
    assert exercises.check({"diagnosis": {}, "merge_command": ["migrate", "--fake"]}).passed == 0
