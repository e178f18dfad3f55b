"""Faults caused for real and diagnosed: the doctor, pg_hba, connection limits, conflicts."""
import re
import subprocess
import sys

import pytest

from course_project import services
from course_project.env import PROJECT_ROOT, env
from course_project.lessons.migrations.throwaway import ThrowawayApp
from course_project.lessons.troubleshooting import solutions
from course_project.lessons.troubleshooting.conflicts import make_conflict
from course_project.lessons.troubleshooting.exercises import exercises
from course_project.lessons.troubleshooting.faults import (PG, messages, pg_hba_rule, server_file, server_log,
                                                           superuser, throwaway_role, try_connect)
from exercise_checks import accepts, assert_stubs_match, rejects


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


def test_an_unknown_user_gets_the_wrong_password_message_and_only_the_log_says_why():
    before = len(server_log())
    wrong_password = try_connect(PG.user, "wrong")
    unknown_user = try_connect("course_tmp_nobody", "wrong")
    assert wrong_password.replace(f'"{PG.user}"', '"X"') == unknown_user.replace('"course_tmp_nobody"', '"X"')
    logged = messages(server_log()[before:], (PG.user, "course_tmp_nobody"))
    assert 'DETAIL:  Role "course_tmp_nobody" does not exist.' in logged
    assert not any("does not exist" in line for line in messages(server_log()[before:], (PG.user,)))


@pytest.mark.django_db
def test_show_hba_file_is_readable_by_the_course_role_and_lies_in_the_data_directory():
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW hba_file")
        hba_file = cursor.fetchone()[0]
        cursor.execute("SHOW data_directory")
        assert hba_file == cursor.fetchone()[0] + "/pg_hba.conf"


def test_pg_hba_reject_rule_is_diagnosed_and_restored():
    """On compose too: the file is edited inside the primary's container, and the rule matches any address
    (there the server sees the host's connections come from the container network's gateway, not 127.0.0.1)."""
    with superuser() as admin:
        path = admin.execute("SHOW hba_file").fetchone()[0]
    before = server_file(path)
    rule = f"host {PG.database} course_tmp_test_visitor all reject"
    with throwaway_role("course_tmp_test_visitor") as password:
        with pg_hba_rule(rule):
            assert server_file(path).splitlines()[0] == rule
            refused = try_connect("course_tmp_test_visitor", password)
        assert re.search(r'pg_hba\.conf rejects connection for host "[\d.]+", user "course_tmp_test_visitor"', refused)
        assert try_connect("course_tmp_test_visitor", password).startswith("connected")
    assert server_file(path) == before


def test_connection_limit_per_role():

    with throwaway_role("course_tmp_test_limited", connection_limit=1) as password:
        with PG.connect(user="course_tmp_test_limited", password=password):
            assert "too many connections" in try_connect("course_tmp_test_limited", password)


@pytest.mark.timeout(120)
def test_two_leaf_migrations_are_refused_then_merged():
    app = ThrowawayApp()
    try:
        make_conflict(app)
        assert app.leaves() == ["0002_note_likes", "0002_note_views"]
        assert "makemigrations --merge" in app.manage("migrate", "throwaway")
        app.manage("makemigrations", "throwaway", "--merge", "--no-input")
        assert app.leaves() == ["0003_merge_0002_note_likes_0002_note_views"]
        assert "Applying throwaway.0003_merge" in app.manage("migrate", "throwaway")
    finally:
        app.close()


def test_diagnosis_checker_causes_the_faults():
    accepts(exercises, "diagnosis", solutions.diagnosis)
    rejects(exercises, "diagnosis", lambda message: "wrong password or unknown user",
            hint="diagnosis() said 'wrong password or unknown user'")
    rejects(exercises, "diagnosis", lambda message: "no idea", hint="answer with one of")

    def forgot_the_limit(message):  # every other refusal taken for pg_hba.conf
        if "Connection refused" in message:
            return "server down or wrong port"
        return "wrong password or unknown user" if "password authentication failed" in message else "pg_hba.conf"

    rejects(exercises, "diagnosis", forgot_the_limit, hint="too many connections for role")


@pytest.mark.timeout(180)
def test_merge_command_checker_runs_it_on_two_leaves():
    accepts(exercises, "merge_command", solutions.merge_command)
    rejects(exercises, "merge_command", lambda label: ["makemigrations", "--merge", "--no-input", "shop"],
            hint="No installed app with label 'shop'")
    rejects(exercises, "merge_command", lambda label: ["makemigrations", "--merge", label], hint="--no-input")
    rejects(exercises, "merge_command", lambda label: ["migrate", label], hint="failed")
    rejects(exercises, "merge_command", lambda label: ["python", "manage.py", "makemigrations", "--merge", label],
            hint="only the arguments after")


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "13_troubleshooting.ipynb")
