"""mysql_lab on MariaDB (and the same model on PostgreSQL): strictness, charset, collation, DDL."""
import json
import subprocess
import sys

import pytest
from django.db import DataError, NotSupportedError, connections

from course_project.env import PROJECT_ROOT
from course_project.lessons.mysql_mariadb import solutions
from course_project.lessons.mysql_mariadb.ddl import apply_failing_migration, drop_ledger
from course_project.lessons.mysql_mariadb.exercises import exercises
from course_project.lessons.mysql_mariadb.models import Customer

pytestmark = pytest.mark.django_db(databases=["legacy", "default"], transaction=True)


@pytest.fixture
def customers():
    for alias in ("legacy", "default"):
        Customer.objects.using(alias).all().delete()
        Customer.objects.using(alias).bulk_create([Customer(name="Ada"), Customer(name="ada"), Customer(name="Alan")])


def test_connection_is_strict_and_utf8mb4():
    with connections["legacy"].cursor() as cursor:
        cursor.execute("SELECT @@SESSION.sql_mode, @@character_set_connection")
        assert cursor.fetchone() == ("STRICT_TRANS_TABLES", "utf8mb4")


def test_strict_mode_refuses_an_overlong_value():
    with pytest.raises(DataError, match="Data too long"):
        Customer.objects.using("legacy").create(name="x" * 101)


def test_emoji_round_trip():
    customer = Customer.objects.using("legacy").create(name="Zoë 🐍")
    assert Customer.objects.using("legacy").get(pk=customer.pk).name == "Zoë 🐍"


def test_default_collation_is_case_insensitive_only_on_mariadb(customers):
    assert Customer.objects.using("legacy").filter(name="ADA").count() == 2
    assert Customer.objects.using("default").filter(name="ADA").count() == 0
    assert sorted(solutions.exact_names("ada")) == ["ada"]


def test_distinct_on_is_postgresql_only(customers):
    assert Customer.objects.using("default").order_by("name").distinct("name").count() == 3
    with pytest.raises(NotSupportedError):
        list(Customer.objects.using("legacy").order_by("name").distinct("name"))


@pytest.mark.parametrize("alias,left_behind", [("default", False), ("legacy", True)])
def test_a_failed_migration_leaves_its_ddl_behind_only_on_mariadb(alias, left_behind):
    try:
        result = apply_failing_migration(alias)
    finally:
        drop_ledger(alias)
    assert result["error"] and result["table left behind"] is left_behind
    assert result["atomic"] is not left_behind


def test_pymysql_drives_django_in_its_own_process():
    probe = subprocess.run([sys.executable, "-m", "course_project.lessons.mysql_mariadb.pymysql_probe"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=60)
    assert probe.returncode == 0, probe.stderr
    answer = json.loads(probe.stdout)
    assert answer["driver"] == "pymysql.connections" and answer["charset"] == "utf8mb4"
    import MySQLdb  # this process still has the real mysqlclient

    assert MySQLdb.__name__ == "MySQLdb" and "pymysql" not in type(MySQLdb.connect).__module__


def test_solutions_pass_and_wrong_answers_fail(customers):
    assert exercises.check(vars(solutions)).all_passed, str(exercises.check(vars(solutions)))
    assert exercises.check({}).passed == 0
    wrong = {"shop_grant": "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'",
             "exact_names": lambda name: Customer.objects.using("legacy").filter(name=name).values_list("name", flat=True),
             "strict_options": {"charset": "utf8"}}
    assert exercises.check(wrong).passed == 0
