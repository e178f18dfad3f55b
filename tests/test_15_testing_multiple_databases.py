"""Notebook 15's claims, against the live servers: declared databases, test database names, mirrors and
the replica, on_commit in tests, routers, MongoDB test databases, and the exercises' checkers.

Tests that run TestCase classes themselves (run_quietly) do it on test databases of their own
(`test_course_nb15check`, ...), outside pytest-django's transaction, with database access unblocked.
"""

import copy
import inspect
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.test import TestCase, TransactionTestCase, override_settings
from django.test.testcases import DatabaseOperationForbidden
from django.test.utils import get_unique_databases_and_mirrors
from exercise_checks import assert_stubs_match

from course_project.env import PROJECT_ROOT
from course_project.lessons.testing_multiple_databases import solutions
from course_project.lessons.testing_multiple_databases.accounts import open_account
from course_project.lessons.testing_multiple_databases.exercises import ForgetfulRouter, exercises
from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry
from course_project.lessons.testing_multiple_databases.replication import wait_for_replica
from course_project.lessons.testing_multiple_databases.runner import leftover_test_databases, run_quietly
from course_project.services.config import servers

NOTEBOOK = PROJECT_ROOT / "notebooks" / "15_testing_multiple_databases.ipynb"


@pytest.fixture
def unblocked(django_db_blocker):
    """Database access for tests that create (and drop) test databases of their own."""
    with django_db_blocker.unblock():
        yield
        assert leftover_test_databases() == []


def result_of(name, answer):
    [result] = [r for r in exercises.check({name: answer}).results if r.name == name]
    return result


# --- declared databases and on_commit (pytest-django) --------------------------------------------


@pytest.mark.django_db(databases=["default"])
def test_an_undeclared_alias_is_refused_with_the_fix_in_the_message(django_capture_on_commit_callbacks):
    forbidden = "Database queries to 'analytics' are not allowed in this test. Add 'analytics' to .*databases"
    with pytest.raises(DatabaseOperationForbidden, match=forbidden), django_capture_on_commit_callbacks(execute=True):
        open_account("ada")


@pytest.mark.django_db(databases=["default", "analytics"])
def test_on_commit_runs_only_when_captured_in_a_test_transaction(django_capture_on_commit_callbacks):
    open_account("ada")
    assert AuditEntry.objects.using("analytics").count() == 0  # never committed: the callback did not run
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        open_account("grace")
    assert len(callbacks) == 1
    assert [str(e) for e in AuditEntry.objects.using("analytics")] == ["grace: opened"]


@pytest.mark.django_db(databases=["default", "analytics"], transaction=True)
def test_a_transactional_test_commits_and_the_callback_runs():
    open_account("ada")
    assert Account.objects.using("default").get().name == "ada"
    assert AuditEntry.objects.using("analytics").get().account == "ada"


def test_a_testcase_rolls_back_each_test_on_every_declared_database(unblocked):
    class Twice(TestCase):
        databases = {"default", "analytics"}

        def test_one(self):
            with self.captureOnCommitCallbacks(execute=True):
                open_account("ada")
            self.assertEqual((Account.objects.count(), AuditEntry.objects.count()), (1, 1))

        test_two = test_one

    result = run_quietly(Twice)
    assert result.lines == ["test_one: ok", "test_two: ok"]


# --- test database settings --------------------------------------------------------------------


def test_mirrors_and_dependencies_are_configured():
    _, mirrors = get_unique_databases_and_mirrors(["default", "analytics", "replica"])
    assert mirrors == {"replica": "default", "bouncer": "default"}
    for alias in ("analytics", "legacy", "mongodb", "sqlite", "sqlite_wal"):
        assert settings.DATABASES[alias]["TEST"]["DEPENDENCIES"] == [], alias


def test_circular_dependencies_cannot_be_ordered():
    tests = {alias: settings.DATABASES[alias]["TEST"] for alias in ("default", "analytics")}
    saved = copy.deepcopy(tests)
    tests["default"]["DEPENDENCIES"], tests["analytics"]["DEPENDENCIES"] = ["analytics"], ["default"]
    try:
        with pytest.raises(ImproperlyConfigured, match=r"Circular dependency in TEST\[DEPENDENCIES\]"):
            get_unique_databases_and_mirrors(["default", "analytics"])
    finally:
        for alias, test in tests.items():
            test.clear()
            test.update(saved[alias])


def test_the_checker_runs_on_test_databases_of_its_own_and_restores_the_settings(unblocked):
    before = {alias: copy.deepcopy(connections[alias].settings_dict) for alias in connections}
    seen = {}

    class Where(TestCase):
        databases = {"default", "analytics", "replica"}

        def test_names(self):
            seen.update({alias: connections[alias].settings_dict["NAME"] for alias in self.databases})

    assert run_quietly(Where).lines == ["test_names: ok"]
    assert seen == {
        "default": "test_course_nb15check",
        "analytics": "test_course_analytics_nb15check",
        "replica": "test_course_nb15check",
    }
    assert {alias: connections[alias].settings_dict for alias in connections} == before


# --- TEST["MIRROR"] with a real replica ------------------------------------------------------------


@pytest.fixture
def replica_on(unblocked):
    """Point the replica alias at a server for one test (tests/conftest.py points it at the primary)."""
    database = settings.DATABASES["replica"]
    saved = {key: database[key] for key in ("HOST", "PORT")}

    def point(server):
        connections["replica"].close()
        database.update(HOST=servers()[server].host, PORT=str(servers()[server].port))

    yield point
    connections["replica"].close()
    database.update(saved)


def read_back_tests(base):
    from course_project.lessons.read_replicas.models import Order

    class ReadBack(base):
        databases = {"default", "replica"}

        def test_read_back_through_replica(self):
            wait_for_replica()
            Order.objects.create(number="T-1")
            self.assertTrue(Order.objects.using("replica").filter(number="T-1").exists(), "not visible")

    return ReadBack


def test_mirror_renames_only_a_testcase_write_is_invisible_on_the_replica_server(replica_on):
    replica_on("replica")
    result = run_quietly(read_back_tests(TestCase))
    assert result.lines == ["test_read_back_through_replica: FAIL AssertionError: False is not true : not visible"]


def test_pointing_the_mirror_at_the_primary_still_needs_committed_writes(replica_on):
    replica_on("postgres")
    assert not run_quietly(read_back_tests(TestCase)).wasSuccessful()  # a second connection: uncommitted
    assert run_quietly(read_back_tests(TransactionTestCase)).lines == ["test_read_back_through_replica: ok"]


def test_without_the_fix_a_committed_write_waits_for_replay(replica_on):
    from course_project.lessons.read_replicas.lag import pause_replay, resume_replay
    from course_project.lessons.read_replicas.models import Order

    class Paused(TransactionTestCase):
        databases = {"default", "replica"}

        def test_read_back_through_replica(self):
            wait_for_replica()
            pause_replay()
            try:
                Order.objects.create(number="T-1")
                self.assertFalse(Order.objects.using("replica").filter(number="T-1").exists())
            finally:
                resume_replay()

    replica_on("replica")
    assert run_quietly(Paused).lines == ["test_read_back_through_replica: ok"]


# --- routers ----------------------------------------------------------------------------------------


def test_analytics_router_routes_its_app_and_abstains_elsewhere():
    from course_project.lessons.multiple_databases.analytics.models import PageView
    from course_project.lessons.multiple_databases.routers import AnalyticsRouter

    r = AnalyticsRouter()
    assert r.db_for_read(PageView) == "analytics" and r.db_for_write(Account) is None
    assert r.allow_migrate("default", "analytics") is False and r.allow_migrate("analytics", "auth") is None
    assert (Account.objects.db, AuditEntry.objects.db, PageView.objects.db) == ("default", "analytics", "analytics")
    assert AuditEntry.objects.using("default").db == "default"
    assert [a for a in ("default", "analytics") if router.allow_migrate_model(a, Account)] == ["default"]
    assert [a for a in ("default", "analytics") if router.allow_migrate_model(a, AuditEntry)] == [
        "default",
        "analytics",
    ]


def test_a_broken_router_first_in_the_list_changes_the_routing():
    with override_settings(DATABASE_ROUTERS=[ForgetfulRouter(), *settings.DATABASE_ROUTERS]):
        assert AuditEntry.objects.db == "default"
    assert AuditEntry.objects.db == "analytics"


def test_tables_exist_where_the_routers_allow(unblocked):
    class Tables(TestCase):
        databases = {"default", "analytics"}

        def test_tables(self):
            for alias in ("default", "analytics"):
                tables = connections[alias].introspection.table_names()
                self.assertEqual("testing_multiple_databases_account" in tables, alias == "default")
                self.assertIn("testing_multiple_databases_auditentry", tables)

    assert run_quietly(Tables).lines == ["test_tables: ok"]


# --- MongoDB --------------------------------------------------------------------------------------


def test_django_mongodb_backend_reports_no_transactions():
    assert connections["mongodb"].features.supports_transactions is False


def test_mongoengine_a_database_in_the_uri_wins_over_db():
    import mongoengine

    from course_project.services.config import mongo_uri

    try:
        options = {"db": "test_course_lesson", "uuidRepresentation": "standard"}
        mongoengine.connect(alias="nb15_trap", host=mongo_uri(database="course"), **options)
        mongoengine.connect(alias="nb15_test", host=mongo_uri(), **options)
        assert mongoengine.get_db("nb15_trap").name == "course"
        assert mongoengine.get_db("nb15_test").name == "test_course_lesson"
    finally:
        mongoengine.disconnect(alias="nb15_trap")
        mongoengine.disconnect(alias="nb15_test")


# --- python manage.py test ------------------------------------------------------------------------


def test_manage_py_test_runs_clean_with_the_course_runner(unblocked):
    """Django's own runner (settings.TEST_RUNNER): mirrors reach the primary, and every test database is
    dropped at the end (no "being accessed by other users" from pgBouncer)."""
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "test",
            "course_project.lessons.testing_multiple_databases",
            "--db-suffix",
            "nb15cli",
            "--noinput",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Ran 3 tests" in run.stderr and "\nOK" in run.stderr
    assert leftover_test_databases("nb15cli") == []


# --- exercises --------------------------------------------------------------------------------------


def test_the_notebook_stubs_are_the_exercises():
    assert_stubs_match(exercises, NOTEBOOK.name)


def test_every_exercise_has_a_hint():
    assert all(exercises.hints[name] for name in exercises.names)


def test_the_code_under_test_is_restored_after_the_mutants():
    result_of("AuditTests", NeverCallsOpenAccount)
    assert "on_commit" in inspect.getsource(open_account) and open_account.__code__.co_names.count("on_commit")


def test_reference_answers_pass(unblocked):
    report = exercises.check(vars(solutions))
    assert report.all_passed, str(report)
    assert exercises.check({}).passed == 0


def audit_tests(
    databases=("default", "analytics"),
    capture=True,
    through_router=False,
    count_callbacks=True,
    check_account=True,
    rollback=True,
):
    """AuditTests variants a learner might write."""
    from contextlib import nullcontext

    from django.db import transaction

    class AuditTests(TestCase):
        def test_open_account(self):
            with self.captureOnCommitCallbacks(execute=True) if capture else nullcontext() as callbacks:
                open_account("ada")
            if count_callbacks and capture:
                self.assertEqual(len(callbacks), 1)
            if check_account:
                self.assertTrue(Account.objects.using("default").filter(name="ada").exists())
            entries = AuditEntry.objects.all() if through_router else AuditEntry.objects.using("analytics")
            self.assertEqual([str(e) for e in entries], ["ada: opened"])

        if rollback:

            def test_rolled_back(self):
                with (
                    self.captureOnCommitCallbacks(execute=True),
                    self.assertRaises(RuntimeError),
                    transaction.atomic(using="default"),
                ):
                    open_account("bo")
                    raise RuntimeError("roll back")
                self.assertFalse(Account.objects.using("default").exists())
                self.assertFalse(AuditEntry.objects.using("analytics").exists())

    AuditTests.databases = set(databases)
    return AuditTests


class NeverCallsOpenAccount(TestCase):
    databases = {"default", "analytics"}

    def test_rows(self):
        Account.objects.create(name="ada")
        AuditEntry.objects.using("analytics").create(account="ada", action="opened")
        self.assertEqual(AuditEntry.objects.using("analytics").count(), 1)


def test_audit_tests_that_never_call_open_account_fail(unblocked):
    result = result_of("AuditTests", NeverCallsOpenAccount)
    assert result.passed is False and result.message.startswith("your test also passes"), result.message


def test_audit_tests_constant_and_trivial_answers_fail(unblocked):
    assert "write a test class" in result_of("AuditTests", 42).message

    class Trivial(TestCase):
        databases = {"default", "analytics"}

        def test_nothing(self):
            pass

    class Empty(TestCase):
        databases = {"default", "analytics"}

    assert "also passes with a broken router" in result_of("AuditTests", Trivial).message
    assert "no tests ran" in result_of("AuditTests", Empty).message


@pytest.mark.parametrize(
    "variant,hint",
    [
        ({"databases": ("default",)}, "declare exactly the databases the test touches"),
        ({"capture": False}, "your test fails on the correct code (test_open_account: FAIL AssertionError"),
        ({"through_router": True}, "also passes with a broken router that writes the audit entry to default"),
        ({"count_callbacks": False, "rollback": False}, "writes the audit entry at once"),
        ({"rollback": False}, "writes the audit entry at once"),  # the notebook's AuditCaptured plus the account
        ({"check_account": False}, "never stores the account"),
    ],
)
def test_audit_tests_plausible_mistakes_get_their_hint(unblocked, variant, hint):
    result = result_of("AuditTests", audit_tests(**variant))
    assert result.passed is False and hint in result.message, result.message


def test_audit_tests_the_correct_variant_passes(unblocked):
    assert result_of("AuditTests", audit_tests()).passed is True


def test_allow_migrate_constant_answers_fail():
    for constant in (True, False, None):
        result = result_of("allow_migrate", lambda db, app_label, model_name=None, _c=constant, **hints: _c)
        assert result.passed is False, constant
    assert (
        "abstain (return None) for other apps"
        in result_of("allow_migrate", lambda db, app_label, model_name=None, **hints: True).message
    )


def test_allow_migrate_plausible_mistakes_get_their_hint():
    def false_for_others(db, app_label, model_name=None, **hints):
        return app_label == "testing_multiple_databases" and solutions.allow_migrate(db, app_label, model_name)

    def ignores_the_model(db, app_label, model_name=None, **hints):
        return db == "default" if app_label == "testing_multiple_databases" else None

    assert "abstain (return None) for other apps" in result_of("allow_migrate", false_for_others).message
    message = result_of("allow_migrate", ignores_the_model).message
    assert message.startswith(
        "allow_migrate('analytics', 'testing_multiple_databases', model_name='auditentry') returned False"
    ), message

    def every_model_by_its_databases(db, app_label, model_name=None, **hints):  # Account has no tuple
        if app_label != "testing_multiple_databases":
            return None
        return db in ("default", "analytics") if model_name != "account" else db == "default"

    message = result_of("allow_migrate", every_model_by_its_databases).message
    assert message.startswith(
        "allow_migrate('analytics', 'testing_multiple_databases', model_name=None) returned True"
    ), message

    def deny_list(db, app_label, model_name=None, **hints):  # allows AuditEntry wherever it is not denied
        if app_label != "testing_multiple_databases":
            return None
        if model_name == "auditentry":
            return db not in ("legacy", "mongodb")
        return db == "default"

    message = result_of("allow_migrate", deny_list).message
    assert message.startswith(
        "allow_migrate('sqlite', 'testing_multiple_databases', model_name='auditentry') returned True"
    ), message


def test_allow_migrate_reusing_the_course_router_fails():
    from course_project.routers import LessonRouter, aliases_for

    def one_liner(db, app_label, model_name=None, **hints):  # right answers, but [5]'s rule reused
        return db in aliases_for(app_label, model_name) if app_label == "testing_multiple_databases" else None

    for reused in (
        one_liner,
        LessonRouter().allow_migrate,
        lambda db, app_label, model_name=None, **hints: LessonRouter().allow_migrate(db, app_label, model_name),
    ):
        assert "write the rules out yourself" in result_of("allow_migrate", reused).message
