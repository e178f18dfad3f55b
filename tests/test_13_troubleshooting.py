"""Faults caused for real and diagnosed: the doctor, pg_hba, connection limits, conflicts."""

import re
import subprocess
import sys

import pytest
from django.db import migrations
from django.db.migrations.operations.fields import FieldOperation
from exercise_checks import accepts, assert_stubs_match, rejects

from course_project import services
from course_project.env import PROJECT_ROOT, env
from course_project.lessons.migrations.throwaway import ThrowawayApp
from course_project.lessons.troubleshooting import faults, solutions
from course_project.lessons.troubleshooting.conflicts import make_conflict
from course_project.lessons.troubleshooting.exercises import exercises
from course_project.lessons.troubleshooting.faults import PG, messages, server_log, throwaway_role, try_connect


def doctor():
    return subprocess.run(
        [sys.executable, "-m", "course_tools", "services", "doctor"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


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


def test_pg_hba_faults_are_diagnosed_and_the_file_restored():
    """On compose too: the file is edited inside the primary's container, and the rule matches any address
    (there the server sees the host's connections come from the container network's gateway, not 127.0.0.1)."""
    with faults.superuser() as admin:
        path = admin.execute("SHOW hba_file").fetchone()[0]
    before = faults.server_file(path)
    rule = f"host {PG.database} course_tmp_test_visitor all reject"
    with throwaway_role("course_tmp_test_visitor") as password:
        with faults.pg_hba_rule(rule):
            assert faults.server_file(path).splitlines()[0] == rule
            refused = try_connect("course_tmp_test_visitor", password)
        assert re.search(r'pg_hba\.conf rejects connection for host "[\d.]+", user "course_tmp_test_visitor"', refused)
        assert faults.server_file(path) == before
        with faults.pg_hba_without("course_tmp_test_visitor") as lines:
            unmatched = try_connect("course_tmp_test_visitor", password)
            assert try_connect(PG.user, env("POSTGRES_PASSWORD")) == f"connected as {PG.user}"
        assert lines and not any(line.split()[2] == "all" for line in lines)
        assert re.search(r'no pg_hba\.conf entry for host "[\d.]+", user "course_tmp_test_visitor"', unmatched)
        assert try_connect("course_tmp_test_visitor", password).startswith("connected")
    assert faults.server_file(path) == before


def test_a_missing_database_and_a_server_that_never_answers():
    missing = f"{PG.database}_nosuch"
    assert f'database "{missing}" does not exist' in try_connect(PG.user, env("POSTGRES_PASSWORD"), database=missing)
    with faults.silent_port() as port:
        assert try_connect(PG.user, "x", port=port, timeout=1) == "ConnectionTimeout: connection timeout expired"


def test_connection_limit_per_role():
    with (
        throwaway_role("course_tmp_test_limited", connection_limit=1) as password,
        PG.connect(user="course_tmp_test_limited", password=password),
    ):
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
    rejects(
        exercises,
        "diagnosis",
        lambda message: "wrong password or unknown user",
        hint="diagnosis() said 'wrong password or unknown user'",
    )
    rejects(exercises, "diagnosis", lambda message: "no idea", hint="answer with one of")

    def refused_for_any_unreachable_server(message):  # a hung server taken for a stopped one
        return "server down or wrong port" if "timeout expired" in message else solutions.diagnosis(message)

    rejects(exercises, "diagnosis", refused_for_any_unreachable_server, hint="timeout expired")

    def only_reject_rules(message):  # a client that matched no line at all taken for a wrong password
        return "wrong password or unknown user" if "no pg_hba.conf entry" in message else solutions.diagnosis(message)

    def no_pg_hba(message):  # on either backend, both pg_hba.conf faults are caused
        return "unknown" if "pg_hba.conf" in message else solutions.diagnosis(message)

    rejects(exercises, "diagnosis", only_reject_rules, hint="no pg_hba.conf entry")
    rejects(exercises, "diagnosis", no_pg_hba, hint="not 'unknown'")


def _touched(operations, model=lambda op: op.model_name_lower, renames=True):
    """A learner's way of collecting (model, field) pairs: case-insensitive and rename-aware unless told."""
    return {
        (model(op), name)
        for op in operations
        if isinstance(op, FieldOperation)
        for name in (
            (op.old_name_lower, op.new_name_lower) if renames and hasattr(op, "old_name") else (op.name_lower,)
        )
    }


def test_clashes_checker_wants_field_pairs_by_model_with_renames():
    accepts(exercises, "clashes", solutions.clashes)
    accepts(exercises, "clashes", lambda ours, theirs: _touched(ours) & _touched(theirs))
    rejects(exercises, "clashes", lambda ours, theirs: {("note", "likes")}, hint="missed")

    def by_field_name(ours, theirs):  # the same name on two models taken for one column
        names = {name for _, name in _touched(ours)} & {name for _, name in _touched(theirs)}
        return {pair for pair in _touched(ours) | _touched(theirs) if pair[1] in names}

    rejects(exercises, "clashes", by_field_name, hint="another column")
    rejects(
        exercises,
        "clashes",
        lambda ours, theirs: (
            _touched(ours, model=lambda op: op.model_name) & _touched(theirs, model=lambda op: op.model_name)
        ),
        hint="the same model",
    )
    rejects(
        exercises,
        "clashes",
        lambda ours, theirs: _touched(ours, renames=False) & _touched(theirs, renames=False),
        hint="its old and its new name",
    )

    def with_created_models(ours, theirs):  # a CreateModel's fields taken for field changes
        def pairs(operations):
            created = {
                (op.name_lower, name)
                for op in operations
                if isinstance(op, migrations.CreateModel)
                for name, _ in op.fields
            }
            return _touched(operations) | created

        return pairs(ours) & pairs(theirs)

    rejects(exercises, "clashes", with_created_models, hint="only field operations count")

    def by_model_name(ours, theirs):  # every operation with a model name taken for a field operation
        def pairs(operations):
            return {
                (op.model_name_lower, name)
                for op in operations
                if hasattr(op, "model_name_lower")
                for name in ((op.old_name_lower, op.new_name_lower) if hasattr(op, "old_name") else (op.name_lower,))
            }

        return pairs(ours) & pairs(theirs)

    rejects(exercises, "clashes", by_model_name, hint="AttributeError")


def test_stubs_match_the_checker():
    assert_stubs_match(exercises, "13_troubleshooting.ipynb")
