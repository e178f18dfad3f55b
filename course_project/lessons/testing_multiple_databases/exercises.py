"""Notebook 15's exercises (reference answers: solutions.py).

Each checker runs what the learner wrote: the TestCase with Django's test machinery, on the correct
code (it must pass), then on broken versions that a useful test must catch: a router that sends the
audit entry to default, an open_account() without on_commit, and one that never stores the account.
The router method is called on models the checker picks, directly and through django.db.router.
"""
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import router, transaction
from django.test import TransactionTestCase, override_settings

from course_project.runtime.checker import Exercises
from course_project.lessons.testing_multiple_databases.accounts import open_account
from course_project.lessons.testing_multiple_databases.models import Account, AuditEntry
from course_project.lessons.testing_multiple_databases.runner import run_quietly

exercises = Exercises("15_testing_multiple_databases")
LABEL = "testing_multiple_databases"


class ForgetfulRouter:
    """Deliberately broken: forgets that AuditEntry lives on analytics (its table exists on
    default too, so nothing raises: the audit entry just lands in the wrong database)."""

    def db_for_read(self, model, **hints):
        return "default" if model._meta.app_label == LABEL else None

    db_for_write = db_for_read


def _failures(result) -> str:
    return "; ".join(line for line in result.lines if not line.endswith(": ok"))


def audit_at_once(name: str):
    """Mutant: the audit entry is written at once, inside the transaction (no on_commit)."""
    with transaction.atomic(using="default"):
        account = Account.objects.create(name=name)
        AuditEntry.objects.create(account=name, action="opened")
    return account


def no_account(name: str):
    """Mutant: the account is never stored; the audit entry still is, after the commit."""
    with transaction.atomic(using="default"):
        transaction.on_commit(lambda: AuditEntry.objects.create(account=name, action="opened"), using="default")
    return Account(name=name)


@contextmanager
def mutated(function, mutant):
    """Swap a function's code for a mutant's, so that every reference to it runs the mutant."""
    original = function.__code__
    function.__code__ = mutant.__code__
    try:
        yield
    finally:
        function.__code__ = original


@exercises.add("AuditTests", "a TestCase: open_account() stores the account on default and, after the commit, "
                             "its audit entry on analytics",
               hint="Call open_account() inside self.captureOnCommitCallbacks(execute=True) as callbacks; then "
                    "check three things: one callback was registered, the account is on default, the entry is on "
                    "analytics (ask each database with using(...)).")
def _(answer):
    assert isinstance(answer, type) and issubclass(answer, TransactionTestCase), \
        "write a test class: class AuditTests(TestCase): ..."
    assert answer.databases != "__all__" and set(answer.databases) == {"default", "analytics"}, \
        "declare exactly the databases the test touches: databases = {'default', 'analytics'}"
    result = run_quietly(answer)
    assert result.testsRun, "no tests ran: name the methods test_..."
    assert result.wasSuccessful(), (
        f"your test fails on the correct code ({_failures(result)}). In a TestCase nothing commits: "
        "on_commit callbacks run only inside self.captureOnCommitCallbacks(execute=True)")
    with override_settings(DATABASE_ROUTERS=[ForgetfulRouter(), *settings.DATABASE_ROUTERS]):
        broken = run_quietly(answer)
    assert not broken.wasSuccessful(), (
        "your test also passes with a broken router that writes the audit entry to default: a read through "
        "the router follows the same mistake, so check the database itself with using('analytics')")
    with mutated(open_account, audit_at_once):
        broken = run_quietly(answer)
    assert not broken.wasSuccessful(), (
        "your test also passes when open_account() writes the audit entry at once, without on_commit (and when "
        "your test never calls open_account()): check that exactly one commit callback was registered")
    with mutated(open_account, no_account):
        broken = run_quietly(answer)
    assert not broken.wasSuccessful(), (
        "your test also passes when open_account() never stores the account: check the account on default too")


# (db, app_label, model_name): what a correct allow_migrate answers
EXPECTED = {
    ("default", LABEL, "account"): True,
    ("analytics", LABEL, "account"): False,
    ("default", LABEL, "auditentry"): True,
    ("analytics", LABEL, "auditentry"): True,
    ("legacy", LABEL, "account"): False,
    ("legacy", LABEL, "auditentry"): False,
}
OTHER_APPS = [("default", "auth", "user"), ("analytics", "analytics", "pageview"), ("default", "replicas", "order"),
              ("legacy", "multidb", "legacyorder"), ("mongodb", "mongo_orm", "author")]


@exercises.add("allow_migrate", "allow_migrate(db, app_label, model_name=None, **hints): this lesson's tables "
                                "where their models say, None for every other app",
               hint="Return None first for any app_label that is not this lesson's; then decide by model_name: "
                    "look at each model's `databases` tuple.")
def _(answer):
    for db, app_label, model_name in OTHER_APPS:
        assert answer(db, app_label, model_name=model_name) is None, \
            f"abstain (return None) for other apps such as {app_label!r}: False would keep them off {db!r}"
    for (db, app_label, model_name), expected in EXPECTED.items():
        got = answer(db, app_label, model_name=model_name)
        assert got is expected, f"allow_migrate({db!r}, {app_label!r}, model_name={model_name!r}) returned " \
                                f"{got!r}: a model's `databases` says where its table may be created"
    learner_router = type("LearnerRouter", (), {"allow_migrate": staticmethod(answer)})()
    with override_settings(DATABASE_ROUTERS=[learner_router, *settings.DATABASE_ROUTERS]):
        for model in apps.get_app_config(LABEL).get_models():
            for db in ("default", "analytics", "legacy"):
                assert router.allow_migrate_model(db, model) is EXPECTED[(db, LABEL, model._meta.model_name)], \
                    f"through django.db.router, {model.__name__} on {db!r} is decided wrongly"
